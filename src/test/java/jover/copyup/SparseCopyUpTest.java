package jover.copyup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.sys.Stat;
import jover.sys.Sys;
import jover.testing.Environment;
import jover.testing.FsCalls;
import jover.testing.HostCalls;
import jover.testing.JoverMount;
import jover.testing.KernelOverlay;
import jover.testing.MountFixture;
import jover.testing.TreeSnapshot;
import jover.testing.UpperSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Copy-up of a sparse lower file with xattrs, owner, mode and an old mtime, by each operation
 * that copies up. The same operation runs on kernel overlayfs over an identical copy of the
 * tree; both upper copies are then read on the host and held to the same expectations (so a
 * kernel failure means the expectation is wrong), and jover's upper is compared with the
 * kernel's in format ({@link UpperSnapshot}) and its mount with the kernel's mount.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SparseCopyUpTest {
    private static final long MIB = 1 << 20;
    private static final int EXTENT = 256 * 1024;
    private static final int UID = 1234;
    private static final int GID = 5678;
    private static final int MODE = 0640;
    private static final long OLD_ATIME = 1_000_000_000L;
    private static final long OLD_MTIME = 1_100_000_000L;
    private static final int OLD_MTIME_NS = 123_456_789;
    private static final long SET_MTIME = 1_200_000_000L;
    private static final int SET_MTIME_NS = 7;
    private static final byte[] APPENDED = CopyUpTools.pseudoRandom(99, 10_000);
    private static final long TRUNCATE_EXTRA = 12_345;

    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireFuseAndKernelOverlay();
    }

    /** How the mtime of the upper copy must come out. */
    enum MtimeRule { LOWER, NOW, SET }

    /** An operation through the mount that copies {@code d/f} up. */
    enum Trigger {
        APPEND(64 * MIB, "d/f", 2, MtimeRule.NOW),
        CHMOD(16 * MIB, "d/f", 2, MtimeRule.LOWER),
        CHOWN(16 * MIB, "d/f", 2, MtimeRule.LOWER),
        UTIMES(16 * MIB, "d/f", 2, MtimeRule.SET),
        TRUNCATE(16 * MIB, "d/f", 2, MtimeRule.NOW),
        SETXATTR(16 * MIB, "d/f", 2, MtimeRule.LOWER),
        LINK(16 * MIB, "d/f", 2, MtimeRule.LOWER),
        RENAME(16 * MIB, "e/g", 3, MtimeRule.LOWER);

        final long size;
        /** Where the copied-up file is afterwards, relative to the mount and the upper. */
        final String after;
        /** Copy-ups jover should count: d and d/f, plus e for a rename into it. */
        final long copyups;
        final MtimeRule mtime;

        Trigger(long size, String after, long copyups, MtimeRule mtime) {
            this.size = size;
            this.after = after;
            this.copyups = copyups;
            this.mtime = mtime;
        }

        void apply(Path mnt) throws ErrnoException {
            String f = Raw.of(mnt.resolve("d/f"));
            switch (this) {
                case APPEND: {
                    int fd = FsCalls.open(f, Linux.O_WRONLY | Linux.O_APPEND, 0);
                    try {
                        long n = FsCalls.write(fd, APPENDED);
                        if (n != APPENDED.length) {
                            throw new IllegalStateException("short append: " + n);
                        }
                    } finally {
                        FsCalls.close(fd);
                    }
                    break;
                }
                case CHMOD:
                    FsCalls.chmod(f, 0600);
                    break;
                case CHOWN:
                    FsCalls.lchown(f, 4321, 8765);
                    break;
                case UTIMES:
                    FsCalls.utimens(f, SET_MTIME, SET_MTIME_NS, SET_MTIME, SET_MTIME_NS);
                    break;
                case TRUNCATE:
                    FsCalls.truncate(f, size + TRUNCATE_EXTRA);
                    break;
                case SETXATTR:
                    FsCalls.lsetxattr(f, "user.added", "new".getBytes(StandardCharsets.US_ASCII), 0);
                    break;
                case LINK:
                    FsCalls.link(f, Raw.of(mnt.resolve("d/f-link")));
                    break;
                case RENAME:
                    FsCalls.rename2(f, Raw.of(mnt.resolve("e/g")), 0);
                    break;
                default:
                    throw new IllegalStateException(name());
            }
        }
    }

    /** One overlay's directories. */
    record Tree(Path lower, Path upper, Path work, Path mnt, long upperRootMtime, int upperRootMtimeNs) {
        Path lowerFile() {
            return lower.resolve("d/f");
        }
    }

    /** What one implementation produced. */
    record Outcome(String impl, Tree tree, long inoBefore, long inoAfter, long inoLink, TreeSnapshot mount,
            List<String> listed, long copyups, String daemonOutput) {
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Trigger.class)
    void copyUpKeepsDataHolesAndMetadata(Trigger t) throws Exception {
        long start = System.currentTimeMillis() / 1000;
        Tree kt = build("k", t.size);
        Tree jt = build("j", t.size);

        Outcome kernel = run("kernel", kt, t);
        Outcome jover = run("jover", jt, t);

        List<String> problems = new ArrayList<>();
        problems.addAll(check(kernel, t, start));
        problems.addAll(check(jover, t, start));

        if (jover.copyups != t.copyups) {
            problems.add("jover: copyups counter went from 0 to " + jover.copyups + ", expected " + t.copyups
                    + " (d, d/f" + (t == Trigger.RENAME ? ", e" : "") + ")");
        }
        // The upper directories in overlay format (whiteouts, opaque, impure, origin presence).
        String upperDiff = UpperSnapshot.of(kt.upper()).diff(UpperSnapshot.of(jt.upper()), "kernel upper",
                "jover upper");
        if (!upperDiff.isEmpty()) {
            problems.add("upper format differs from the kernel's:\n" + upperDiff);
        }
        // The merged views (mtimes are checked above: the NOW ones differ by the clock).
        String viewDiff = kernel.mount().map(TreeSnapshot.Entry::withoutMtime)
                .diff(jover.mount().map(TreeSnapshot.Entry::withoutMtime), "kernel mount", "jover mount");
        if (!viewDiff.isEmpty()) {
            problems.add("merged view differs from the kernel's:\n" + viewDiff);
        }
        // TreeSnapshot counts every trusted.* name as private; trusted.jover-test is an ordinary one
        List<String> anomalies = new ArrayList<>(jover.mount().anomalies());
        anomalies.removeIf(a -> a.startsWith("private xattr listed:") && a.endsWith(": trusted.jover-test"));
        if (!anomalies.isEmpty()) {
            problems.add("jover mount anomalies: " + anomalies);
        }
        if (!kernel.listed().equals(jover.listed())) {
            problems.add("xattr names listed through the mount on " + t.after + ": kernel " + kernel.listed()
                    + ", jover " + jover.listed());
        }

        // Remounted on its upper, jover still reports the lower file's inode number.
        problems.addAll(checkRemount(jt, t, jover.inoBefore()));
        // Kernel overlayfs accepts jover's origin: on jover's upper it reports what it reports on its own.
        problems.addAll(checkKernelOnJoverUpper(kt, jt, t, kernel.inoBefore()));

        assertTrue(problems.isEmpty(), () -> t + ":\n- " + String.join("\n- ", problems) + "\n"
                + jover.daemonOutput());
    }

    private Tree build(String name, long size) throws IOException, ErrnoException {
        Path base = fx.newDir("copyup-sparse-" + name);
        Path upper = base.resolve("upper");
        Files.createDirectories(upper);
        Stat root = CopyUpTools.lstat(upper);
        Tree t = new Tree(base.resolve("lower"), upper, base.resolve("work"), base.resolve("mnt"), root.mtimeSec(),
                root.mtimeNsec());
        Files.createDirectories(t.lower().resolve("d"));
        Files.createDirectories(t.lower().resolve("e"));
        Files.createDirectories(t.work());
        Files.createDirectories(t.mnt());
        Files.writeString(t.lower().resolve("d/keep"), "keep\n");
        Files.writeString(t.lower().resolve("e/x"), "x\n");
        writeSparse(t.lowerFile(), size);
        String f = Raw.of(t.lowerFile());
        Sys.lsetxattr(f, "user.alpha", "one".getBytes(StandardCharsets.US_ASCII), 0);
        Sys.lsetxattr(f, "user.big", CopyUpTools.pseudoRandom(7, 3000), 0);
        Sys.lsetxattr(f, "trusted.jover-test", "t".getBytes(StandardCharsets.US_ASCII), 0);
        HostCalls.lchown(f, UID, GID);
        HostCalls.chmod(f, MODE);
        HostCalls.lutimes(f, OLD_ATIME, 0, OLD_MTIME, OLD_MTIME_NS);
        for (String d : List.of("d", "e")) {
            HostCalls.lutimes(Raw.of(t.lower().resolve(d)), OLD_ATIME, 0, OLD_MTIME, 0);
        }
        return t;
    }

    /** Data extents at 0, 10/64 and 40/64 of the size, and the last byte; holes elsewhere. */
    static void writeSparse(Path file, long size) throws ErrnoException {
        int fd = HostCalls.createFile(Raw.of(file), 0644);
        try {
            long[] offsets = {0, size * 10 / 64, size * 40 / 64};
            for (int i = 0; i < offsets.length; i++) {
                HostCalls.pwriteFully(fd, CopyUpTools.pseudoRandom(1000 + i, EXTENT), offsets[i], file.toString());
            }
            HostCalls.pwriteFully(fd, new byte[] {0x5a}, size - 1, file.toString());
        } finally {
            HostCalls.close(fd);
        }
    }

    private Outcome run(String impl, Tree t, Trigger trigger) throws Exception {
        JoverMount jover = null;
        KernelOverlay kernel = null;
        if (impl.equals("kernel")) {
            kernel = fx.kernel(List.of(t.lower()), Optional.of(t.upper()), Optional.of(t.work()), t.mnt(), false);
        } else {
            jover = fx.jover(List.of(t.lower()), Optional.of(t.upper()), Optional.of(t.work()), t.mnt(), false);
        }
        long copyupsBefore = jover == null ? 0 : CopyUpTools.copyups(jover);
        long before = CopyUpTools.lstat(t.mnt().resolve("d/f")).ino();
        try {
            trigger.apply(t.mnt());
        } catch (ErrnoException e) {
            throw new AssertionError(impl + ": " + trigger + " failed: " + e.getMessage()
                    + (jover == null ? "" : "\n" + jover.output()), e);
        }
        long after = CopyUpTools.lstat(t.mnt().resolve(trigger.after)).ino();
        long link = trigger == Trigger.LINK ? CopyUpTools.lstat(t.mnt().resolve("d/f-link")).ino() : after;
        TreeSnapshot snap = TreeSnapshot.of(t.mnt());
        List<String> listed = new ArrayList<>(FsCalls.llistxattr(Raw.of(t.mnt().resolve(trigger.after))));
        java.util.Collections.sort(listed);
        long copyups = jover == null ? 0 : CopyUpTools.copyups(jover) - copyupsBefore;
        String output = jover == null ? "" : jover.output();
        if (jover != null) {
            jover.close();
        } else {
            kernel.close();
        }
        return new Outcome(impl, t, before, after, link, snap, listed, copyups, output);
    }

    /** The expectations on one implementation's upper copy. */
    private static List<String> check(Outcome o, Trigger t, long startSec) throws IOException, ErrnoException {
        List<String> out = new ArrayList<>();
        String who = o.impl().equals("kernel") ? "kernel (the test's expectation may be wrong)" : "jover";
        Tree tree = o.tree();
        Path copy = tree.upper().resolve(t.after);
        Stat lower = CopyUpTools.lstat(tree.lowerFile());
        if (!CopyUpTools.exists(copy)) {
            out.add(who + ": no upper copy at " + t.after + "; upper holds " + UpperSnapshot.of(tree.upper()).describe());
            return out;
        }
        Stat st = CopyUpTools.lstat(copy);
        if (!st.isReg()) {
            out.add(who + ": upper " + t.after + " is not a regular file (mode " + Integer.toOctalString(st.mode()) + ")");
            return out;
        }
        // data
        String want = expectedHash(tree.lowerFile(), t);
        String got = CopyUpTools.sha256(copy);
        long wantSize = t == Trigger.APPEND ? t.size + APPENDED.length
                : t == Trigger.TRUNCATE ? t.size + TRUNCATE_EXTRA : t.size;
        if (st.size() != wantSize || !want.equals(got)) {
            out.add(who + ": upper data differs: size " + st.size() + " (expected " + wantSize + "), sha256 "
                    + got.substring(0, 16) + " (expected " + want.substring(0, 16) + ")");
        }
        // holes: the kernel copies whole 1 MiB chunks that hold data (3 MiB for the 16 MiB file whose
        // lower copy has 776 KiB), so allow a MiB per data extent
        long allocated = st.blocks() * 512;
        if (allocated > lower.blocks() * 512 + 4 * MIB || allocated > t.size / 4) {
            out.add(who + ": holes not kept: the copy has " + allocated / 1024 + " KiB allocated for " + st.size()
                    + " bytes, the lower file " + lower.blocks() * 512 / 1024 + " KiB");
        }
        // xattrs
        SortedMap<String, String> wantX = new TreeMap<>(CopyUpTools.plainXattrs(tree.lowerFile()));
        if (t == Trigger.SETXATTR) {
            wantX.put("user.added", CopyUpTools.hex("new".getBytes(StandardCharsets.US_ASCII)));
        }
        SortedMap<String, String> gotX = CopyUpTools.plainXattrs(copy);
        if (!wantX.equals(gotX)) {
            out.add(who + ": xattrs " + gotX.keySet() + " differ from expected " + wantX.keySet()
                    + (wantX.keySet().equals(gotX.keySet()) ? " (values differ)" : ""));
        }
        // owner and mode
        int wantUid = t == Trigger.CHOWN ? 4321 : UID;
        int wantGid = t == Trigger.CHOWN ? 8765 : GID;
        int wantMode = t == Trigger.CHMOD ? 0600 : MODE;
        if (st.uid() != wantUid || st.gid() != wantGid) {
            out.add(who + ": owner " + st.uid() + ":" + st.gid() + ", expected " + wantUid + ":" + wantGid);
        }
        if ((st.mode() & 07777) != wantMode) {
            out.add(who + ": mode " + Integer.toOctalString(st.mode() & 07777) + ", expected "
                    + Integer.toOctalString(wantMode));
        }
        // mtime
        String mtime = st.mtimeSec() + "." + String.format("%09d", st.mtimeNsec());
        switch (t.mtime) {
            case LOWER:
                if (st.mtimeSec() != OLD_MTIME || st.mtimeNsec() != OLD_MTIME_NS) {
                    out.add(who + ": mtime " + mtime + ", expected the lower file's " + OLD_MTIME + "." + OLD_MTIME_NS);
                }
                break;
            case SET:
                if (st.mtimeSec() != SET_MTIME || st.mtimeNsec() != SET_MTIME_NS) {
                    out.add(who + ": mtime " + mtime + ", expected the one set, " + SET_MTIME + ".000000007");
                }
                break;
            case NOW:
                if (st.mtimeSec() < startSec - 1) {
                    out.add(who + ": mtime " + mtime + ", expected the time of the change (>= " + startSec + ")");
                }
                break;
            default:
                throw new IllegalStateException();
        }
        // parent directories: the kernel puts their atime and mtime back after renaming a copy into
        // them (ovl_set_timestamps on the parent), so a copy-up alone changes no directory's mtime
        Stat root = CopyUpTools.lstat(tree.upper());
        if (root.mtimeSec() != tree.upperRootMtime() || root.mtimeNsec() != tree.upperRootMtimeNs()) {
            out.add(who + ": the copy-ups of d" + (t == Trigger.RENAME ? " and e" : "") + " changed the upper "
                    + "root's mtime from " + tree.upperRootMtime() + "." + String.format("%09d",
                    tree.upperRootMtimeNs()) + " to " + root.mtimeSec() + "." + String.format("%09d", root.mtimeNsec()));
        }
        if (t != Trigger.LINK && t != Trigger.RENAME) {
            Stat d = CopyUpTools.lstat(tree.upper().resolve("d"));
            if (d.mtimeSec() != OLD_MTIME || d.mtimeNsec() != 0) {
                out.add(who + ": upper d has mtime " + d.mtimeSec() + "." + String.format("%09d", d.mtimeNsec())
                        + ", the lower d's is " + OLD_MTIME + ".000000000 (the copy-up of d/f changed it)");
            }
        }
        // origin and impure
        List<String> origin = CopyUpTools.originProblems(CopyUpTools.xattrOrNull(copy, "trusted.overlay.origin"),
                CopyUpTools.handleOf(tree.lowerFile()));
        origin.forEach(p -> out.add(who + ": trusted.overlay.origin of " + t.after + ": " + p));
        Path parent = copy.getParent();
        byte[] impure = CopyUpTools.xattrOrNull(parent, "trusted.overlay.impure");
        if (impure == null || !new String(impure, StandardCharsets.US_ASCII).equals("y")) {
            out.add(who + ": upper parent " + tree.upper().relativize(parent) + " has trusted.overlay.impure="
                    + (impure == null ? "(absent)" : CopyUpTools.hex(impure)) + ", expected y");
        }
        // st_ino through the mount
        if (o.inoBefore() != o.inoAfter()) {
            out.add(who + ": st_ino changed across the copy-up: " + o.inoBefore() + " -> " + o.inoAfter());
        }
        if (o.inoLink() != o.inoAfter()) {
            out.add(who + ": the new link reports st_ino " + o.inoLink() + ", the file " + o.inoAfter());
        }
        if (t == Trigger.LINK) {
            Stat l = CopyUpTools.lstat(tree.upper().resolve("d/f-link"));
            if (l.ino() != st.ino() || st.nlink() != 2) {
                out.add(who + ": d/f-link is not a hard link of the upper d/f (ino " + l.ino() + " vs " + st.ino()
                        + ", nlink " + st.nlink() + ")");
            }
        }
        if (t == Trigger.RENAME) {
            Path old = tree.upper().resolve("d/f");
            if (!CopyUpTools.exists(old) || !CopyUpTools.lstat(old).isCharDevice00()) {
                out.add(who + ": no whiteout at upper d/f after the rename");
            }
        }
        return out;
    }

    /** What the data of the copy must hash to. */
    private static String expectedHash(Path lowerFile, Trigger t) throws IOException {
        MessageDigest md = CopyUpTools.sha256();
        CopyUpTools.digest(md, lowerFile, -1);
        if (t == Trigger.APPEND) {
            md.update(APPENDED);
        } else if (t == Trigger.TRUNCATE) {
            md.update(new byte[(int) TRUNCATE_EXTRA]);
        }
        return CopyUpTools.hex(md.digest());
    }

    private List<String> checkRemount(Tree jt, Trigger t, long inoBefore) throws Exception {
        List<String> out = new ArrayList<>();
        Path mnt = jt.mnt().resolveSibling("mnt-again");
        try (JoverMount again = JoverMount.mount(List.of(jt.lower()), Optional.of(jt.upper()), Optional.of(jt.work()),
                mnt, false, List.of())) {
            long ino = CopyUpTools.lstat(mnt.resolve(t.after)).ino();
            if (ino != inoBefore) {
                out.add("jover remounted on its upper: st_ino of " + t.after + " is " + ino
                        + ", before the copy-up it was " + inoBefore);
            }
            long copyups = CopyUpTools.copyups(again);
            if (copyups != 0) {
                out.add("jover remounted: " + copyups + " copy-ups from a stat");
            }
        }
        return out;
    }

    private List<String> checkKernelOnJoverUpper(Tree kt, Tree jt, Trigger t, long kernelInoBefore) throws Exception {
        List<String> out = new ArrayList<>();
        long kernelLowerIno = CopyUpTools.lstat(kt.lowerFile()).ino();
        long joverLowerIno = CopyUpTools.lstat(jt.lowerFile()).ino();
        Path mnt = jt.mnt().resolveSibling("mnt-kernel");
        try (KernelOverlay k = KernelOverlay.mount(List.of(jt.lower()), Optional.of(jt.upper()),
                Optional.of(jt.work()), mnt, false)) {
            long ino = CopyUpTools.lstat(mnt.resolve(t.after)).ino();
            boolean kernelKeepsLowerIno = kernelInoBefore == kernelLowerIno;
            if (kernelKeepsLowerIno && ino != joverLowerIno) {
                out.add("kernel overlayfs on jover's upper reports st_ino " + ino + " for " + t.after
                        + ", not the lower file's " + joverLowerIno + " (it does on its own upper): jover's origin "
                        + "is not accepted");
            }
        }
        return out;
    }
}
