package jover.differential;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import jover.sys.DirEntry;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.sys.Stat;
import jover.sys.Sys;
import jover.testing.HostCalls;
import jover.testing.JoverMount;
import jover.testing.LayerWriter;
import jover.testing.MountFixture;
import jover.testing.TreeSnapshot;
import jover.testing.TreeSpec;
import jover.testing.UpperSnapshot;
import jover.testing.WhiteoutForm;

/**
 * Runs one {@link Example}: writes its lower layers twice (kernel format for kernel overlayfs,
 * the example's form for jover), mounts both with an empty upper, replays the operations on both
 * through the {@link Callers}, and compares, stopping at the first step that differs (later
 * differences are mostly its consequences, and a short failing prefix shrinks better):
 * <ol>
 *   <li>after each step, the outcome (ok with details, or the errno name);</li>
 *   <li>after each step that may change something, the merged trees ({@link TreeSnapshot}: type,
 *       mode, owner, size, content
 *       hash, nlink, link target, user xattrs, mtime, where a time set during the run reads as
 *       "now"), each mount's anomalies (readdir d_ino against st_ino, d_type, shared st_ino,
 *       overlay-private xattrs listed, names listed that do not exist), and st_ino through
 *       {@link InoMatch} (kept across copy-up, moved by rename, shared by hard links);</li>
 *   <li>after unmounting, the format of the two upper directories ({@link UpperSnapshot});</li>
 *   <li>each upper directory mounted under the other implementation (fresh work dirs): the
 *       same tree, the same anomalies, and where the two use the same layer copies, the same
 *       st_ino per path.</li>
 * </ol>
 * Differences listed in {@link DeliberateDifferences} are accepted (and counted).
 */
final class DifferentialRun {
    /** How jover is mounted. */
    record Settings(boolean passthroughOff) {
        List<String> joverOptions(Example ex) {
            List<String> out = new ArrayList<>(ex.joverOptions());
            if (passthroughOff) {
                out.add("passthrough=off");
            }
            return out;
        }
    }

    private static final class Side {
        final String name;
        final int index;
        List<Path> lowers;
        Path upper;
        Path work;
        Path mnt;
        String root;
        AutoCloseable mount;
        JoverMount jover;
        TreeSnapshot last;

        Side(String name, int index) {
            this.name = name;
            this.index = index;
        }
    }

    /**
     * When the merged trees are compared: after every step ("all"), after each step that may
     * change something ("changes", the default), or once at the end ("end"):
     * {@code -Djover.diff.trees}.
     */
    private static final String TREES = System.getProperty("jover.diff.trees", "changes");

    private final Example ex;
    private final Settings settings;
    private final MountFixture fx;
    private final Callers callers;
    private final List<String> findings = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final InoMatch inos = new InoMatch();
    private final long since = System.currentTimeMillis() / 1000 - 120;
    private Side kernel;
    private Side jover;
    private int step = -1;
    private Op stepOp;
    private String signature = "";

    DifferentialRun(Example ex, Settings settings, MountFixture fx, Callers callers) {
        this.ex = ex;
        this.settings = settings;
        this.fx = fx;
        this.callers = callers;
    }

    List<String> findings() {
        return findings;
    }

    /** The step at which the first difference showed, -1 when before the first or after the last. */
    int lastStep() {
        return signature.isEmpty() ? -1 : failedStep;
    }

    private int failedStep = -1;

    /**
     * The kind of the first difference (category, operation kind, and for outcomes the first
     * word of each side), so that minimizing keeps chasing the same difference.
     */
    String signature() {
        return signature.isEmpty() && !findings.isEmpty() ? "error" : signature;
    }

    private void fail(String category, String message) {
        if (signature.isEmpty()) {
            signature = category + (stepOp == null ? "" : " " + stepOp.kind());
            failedStep = step;
        }
        findings.add(message);
    }

    /** The findings, the step log and jover's output (when something was found). */
    String report() {
        StringBuilder b = new StringBuilder();
        b.append(findings.size()).append(" difference(s):\n");
        for (String f : findings) {
            b.append("- ").append(f.replace("\n", "\n  ")).append('\n');
        }
        b.append("steps (kernel | jover):\n");
        log.forEach(l -> b.append("  ").append(l).append('\n'));
        if (!findings.isEmpty() && jover != null && jover.jover != null) {
            List<String> out = jover.jover.stderrLines();
            if (!out.isEmpty()) {
                b.append("jover's stderr (last lines):\n");
                for (String l : out.subList(Math.max(0, out.size() - 30), out.size())) {
                    b.append("  ").append(l).append('\n');
                }
            }
        }
        return b.toString();
    }

    /** Milliseconds spent per phase in this JVM: layers, mounts, steps, unmount and uppers, cross mounts. */
    static final java.util.Map<String, Long> PHASES = new java.util.concurrent.ConcurrentSkipListMap<>();
    private long phaseStart = System.nanoTime();

    private void phase(String name) {
        long now = System.nanoTime();
        PHASES.merge(name, (now - phaseStart) / 1_000_000, Long::sum);
        phaseStart = now;
    }

    /** Runs the example; the findings are in {@link #findings()}. */
    void run() throws Exception {
        phaseStart = System.nanoTime();
        Path dir = fx.newDir("diff");
        WhiteoutForm form = ex.whiteoutForm();
        TreeSpec spec = ex.tree().spec();
        kernel = prepare(new Side("kernel", 0), dir.resolve("k"), spec, form.kernelCounterpart());
        jover = prepare(new Side("jover", 1), dir.resolve("j"), spec, form);
        phase("layers");
        kernel.mount = fx.track(KernelMount.mount(kernel.lowers, kernel.upper, kernel.work, kernel.mnt,
                form.userxattr()));
        jover.jover = fx.track(JoverMount.mount(jover.lowers, Optional.of(jover.upper), Optional.of(jover.work),
                jover.mnt, form.userxattr(), settings.joverOptions(ex)));
        jover.mount = jover.jover;
        for (Side s : List.of(kernel, jover)) {
            s.root = Raw.of(s.mnt);
        }
        phase("mount");
        try {
            steps(spec);
        } finally {
            callers.closeSide(0);
            callers.closeSide(1);
            phase("steps");
        }
        if (!findings.isEmpty()) {
            return;
        }
        afterUnmount();
    }

    private Side prepare(Side s, Path base, TreeSpec spec, WhiteoutForm form) throws IOException {
        s.lowers = LayerWriter.write(spec, form, base.resolve("layers"));
        if (s.index == 0 && form == WhiteoutForm.USERXATTR) {
            for (Path l : s.lowers) {
                charWhiteouts(Raw.of(l));
            }
        }
        s.upper = base.resolve("upper");
        s.work = base.resolve("work");
        LayerWriter.prepareUpper(spec, s.upper, s.work);
        s.mnt = Files.createDirectories(base.resolve("mnt"));
        return s;
    }

    /**
     * Turns the xattr whiteouts of the kernel's userxattr copy into character-device whiteouts
     * (and drops the "x" marks): the kernel reads both, but refuses rmdir (ENOTEMPTY) of a
     * directory whose only entries are xattr whiteouts although it lists it as empty
     * (DeliberateDifferences.Difference.KERNEL_RMDIR_XATTR_WHITEOUTS, pinned by its own test);
     * with this, the random runs compare jover's reading of the xattr form with the kernel's
     * sane behaviour on the same abstract tree.
     */
    private static void charWhiteouts(String dir) throws IOException {
        try {
            byte[] mark = Sys.lgetxattr(dir, "user.overlay.opaque");
            if (mark.length == 1 && mark[0] == 'x') {
                Sys.lremovexattr(dir, "user.overlay.opaque");
            }
        } catch (ErrnoException e) {
            // not marked
        }
        try {
            Stat self = Sys.lstat(dir);
            boolean changed = false;
            for (DirEntry d : Sys.listDir(dir)) {
                if (d.isDotOrDotDot()) {
                    continue;
                }
                String p = dir + "/" + d.name();
                Stat st = Sys.lstat(p);
                if (st.isDir()) {
                    charWhiteouts(p);
                } else if (st.isReg() && st.size() == 0 && Sys.llistxattr(p).contains("user.overlay.whiteout")) {
                    HostCalls.unlink(p);
                    Sys.mknod(p, Linux.S_IFCHR, 0, 0);
                    changed = true;
                }
            }
            if (changed) { // the layer's times, as written
                HostCalls.lutimes(dir, self.atimeSec(), self.atimeNsec(), self.mtimeSec(), self.mtimeNsec());
            }
        } catch (ErrnoException e) {
            throw new IOException("converting whiteouts in " + Raw.display(dir) + ": " + e.getMessage(), e);
        }
    }

    private void steps(TreeSpec spec) throws Exception {
        kernel.last = TreeSnapshot.of(kernel.mnt);
        jover.last = TreeSnapshot.of(jover.mnt);
        String tooling = normalize(spec.expectedView()).diff(normalize(kernel.last), "the layers' spec", "kernel", 10);
        if (!tooling.isEmpty()) {
            fail("tooling", "test tooling: the kernel's initial view is not what the layers imply\n" + tooling);
            return;
        }
        if (!compareTrees("initially")) {
            return;
        }
        callers.reset(ex.umaskValue(), ex.usesUser());
        for (int i = 0; i < ex.ops().size(); i++) {
            Op op = ex.ops().get(i);
            this.step = i;
            this.stepOp = op;
            String step = "step " + i + " (" + op.describe() + ")";
            Outcome k;
            Outcome j;
            try {
                k = callers.run(op, 0, kernel.root);
            } catch (IOException e) {
                fail("call", step + ": the kernel's call failed: " + e.getMessage());
                return;
            }
            try {
                j = callers.run(op, 1, jover.root);
            } catch (IOException e) {
                fail("call", step + ": jover's call failed (hung?): " + e.getMessage());
                return;
            }
            log.add(i + ": " + op.describe() + " => " + k.text() + " | " + j.text());
            if (!compareOutcomes(step, op, k, j)) {
                return;
            }
            if (TREES.equals("end") || TREES.equals("changes") && !op.changes()) {
                continue;
            }
            kernel.last = TreeSnapshot.of(kernel.mnt);
            jover.last = TreeSnapshot.of(jover.mnt);
            if (!compareTrees("after " + step)) {
                return;
            }
        }
        this.step = -1;
        this.stepOp = null;
        callers.closeSide(0);
        callers.closeSide(1);
        kernel.last = TreeSnapshot.of(kernel.mnt);
        jover.last = TreeSnapshot.of(jover.mnt);
        compareTrees("after closing every descriptor");
    }

    // ---- outcomes ----

    private boolean compareOutcomes(String step, Op op, Outcome k, Outcome j) throws IOException {
        String kt = k.text();
        if (op.kind() == Op.Kind.READDIR) {
            String without = DeliberateDifferences.withoutPhantoms(kt);
            if (!without.equals(kt) && without.equals(j.text())) {
                DeliberateDifferences.count(DeliberateDifferences.Difference.KERNEL_LISTS_WHITEOUTS);
                kt = without;
            }
        }
        if (kt.equals(j.text())) {
            if (k.inos().size() == j.inos().size()) {
                for (int n = 0; n < k.inos().size(); n++) {
                    String bad = observeIno(k.inos().get(n), j.inos().get(n));
                    if (bad != null) {
                        fail("st_ino", step + ": st_ino in the outcome: " + bad);
                        return false;
                    }
                }
            } else {
                fail("st_ino", step + ": outcomes name " + k.inos().size() + " vs " + j.inos().size() + " inodes");
                return false;
            }
            return true;
        }
        if (DeliberateDifferences.fuseOverlayfsXattrRefused(op, j)) {
            DeliberateDifferences.count(DeliberateDifferences.Difference.FUSEOVERLAYFS_XATTRS);
            return resync(step, op, k);
        }
        if (DeliberateDifferences.staleRead(op, k, j, !settings.passthroughOff())) {
            DeliberateDifferences.count(DeliberateDifferences.Difference.PASSTHROUGH_STALE_READER);
            return true;
        }
        fail("outcome", step + ":\n  kernel: " + k.text() + "\n  jover:  " + j.text());
        signature = "outcome " + op.kind() + " kernel=" + k.text().split(" ")[0] + " jover=" + j.text().split(" ")[0];
        return false;
    }

    /**
     * After jover refused a user.fuseoverlayfs.* change: undo the kernel's change and copy the
     * file up on jover's side, as the kernel's setxattr did (it copies up before it fails).
     */
    private boolean resync(String step, Op op, Outcome k) throws IOException {
        if (op.kind() != Op.Kind.SETXATTR) {
            return true;
        }
        if (k.ok()) {
            Outcome undo = callers.run(new Op(Op.Kind.REMOVEXATTR, op.who(), op.a(), op.b(), 0, 0), 0, kernel.root);
            log.add("   (resync: kernel " + new Op(Op.Kind.REMOVEXATTR, op.who(), op.a(), op.b(), 0, 0).describe()
                    + " => " + undo.text() + ")");
            if (!undo.ok()) {
                fail("resync", step + ": removing the name again on the kernel failed: " + undo.text());
                return false;
            }
        }
        Op set = new Op(Op.Kind.SETXATTR, op.who(), op.a(), Pool.SYNC_XATTR, 0, 0);
        Op remove = new Op(Op.Kind.REMOVEXATTR, op.who(), op.a(), Pool.SYNC_XATTR, 0, 0);
        Outcome s = callers.run(set, 1, jover.root);
        Outcome r = s.ok() ? callers.run(remove, 1, jover.root) : Outcome.of("(not run)");
        log.add("   (resync: jover " + set.describe() + " => " + s.text() + ", then remove => " + r.text() + ")");
        if (k.ok() && !(s.ok() && r.ok())) {
            fail("resync", step + ": copying up on jover's side failed: " + s.text() + ", " + r.text());
            return false;
        }
        return true;
    }

    // ---- trees ----

    /** mtimes set during the run read as -1 ("now"): they cannot be equal on two mounts. */
    private TreeSnapshot normalize(TreeSnapshot t) {
        return t.map(e -> e.mtimeSec() >= since ? new TreeSnapshot.Entry(e.type(), e.mode(),
                e.uid(), e.gid(), e.size(), e.sha256(), e.target(), e.xattrs(), e.nlink(), -1, 0) : e);
    }

    private boolean compareTrees(String when) {
        TreeSnapshot k = kernel.last;
        TreeSnapshot j = jover.last;
        String d = normalize(k).diff(normalize(j), "kernel", "jover", 20);
        if (!d.isEmpty()) {
            fail("tree " + fieldsDiffering(normalize(k), normalize(j)), "merged trees differ " + when + " (mtime -1: set during the run):\n" + d);
            return false;
        }
        String a = compareAnomalies(anomalySet(k, layersOf(kernel)), anomalySet(j, null), "kernel", "jover");
        if (a != null) {
            fail("anomaly", "anomalies differ " + when + ":\n" + a);
            return false;
        }
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, Long> e : k.inos().entrySet()) {
            Long jino = j.inos().get(e.getKey());
            if (jino != null) {
                String m = observeIno(e.getValue(), jino);
                if (m != null) {
                    bad.add("/" + Raw.display(e.getKey()) + ": " + m);
                }
            }
        }
        if (!bad.isEmpty()) {
            fail("st_ino", "st_ino pattern differs " + when + " (one file, one number; kept across copy-up):\n  "
                    + String.join("\n  ", bad));
            return false;
        }
        inos.retain(new HashSet<>(k.inos().values()), new HashSet<>(j.inos().values()));
        return true;
    }

    /** Which attributes differ at the first path whose entries differ ("absent", "nlink", "mtime"...). */
    static String fieldsDiffering(TreeSnapshot k, TreeSnapshot j) {
        java.util.SortedSet<String> paths = new TreeSet<>(k.entries().keySet());
        paths.addAll(j.entries().keySet());
        for (String p : paths) {
            TreeSnapshot.Entry a = k.entries().get(p);
            TreeSnapshot.Entry b = j.entries().get(p);
            if (java.util.Objects.equals(a, b)) {
                continue;
            }
            if (a == null || b == null) {
                return a == null ? "extra-on-jover" : "missing-on-jover";
            }
            List<String> f = new ArrayList<>();
            if (a.type() != b.type()) {
                f.add("type");
            }
            if (a.mode() != b.mode()) {
                f.add("mode");
            }
            if (a.uid() != b.uid() || a.gid() != b.gid()) {
                f.add("owner");
            }
            if (a.size() != b.size() || !java.util.Objects.equals(a.sha256(), b.sha256())) {
                f.add("data");
            }
            if (!java.util.Objects.equals(a.target(), b.target())) {
                f.add("target");
            }
            if (!a.xattrs().equals(b.xattrs())) {
                f.add("xattrs");
            }
            if (a.nlink() != b.nlink()) {
                f.add("nlink");
            }
            if (a.mtimeSec() != b.mtimeSec() || a.mtimeNsec() != b.mtimeNsec()) {
                f.add(a.type() == 'd' ? "dir-mtime" : "mtime");
            }
            return String.join("+", f);
        }
        return "";
    }

    /** The first path whose upper entries differ, both sides without xattr values. */
    static String firstUpperDifference(UpperSnapshot k, UpperSnapshot j) {
        java.util.SortedSet<String> paths = new TreeSet<>(k.entries().keySet());
        paths.addAll(j.entries().keySet());
        for (String p : paths) {
            String a = k.entries().get(p);
            String b = j.entries().get(p);
            if (!java.util.Objects.equals(a, b)) {
                return shape(a) + " vs " + shape(b);
            }
        }
        return "";
    }

    private static String shape(String upperEntry) {
        if (upperEntry == null) {
            return "absent";
        }
        return upperEntry.replaceAll("=[^ ]*", "").replace("trusted.overlay.", "").replace("user.overlay.", "")
                .replace(' ', '+');
    }

    /** The layers of a side, upper first. */
    private static List<Path> layersOf(Side s) {
        List<Path> out = new ArrayList<>();
        out.add(s.upper);
        out.addAll(s.lowers);
        return out;
    }

    /**
     * A mount's anomalies without inode numbers. With {@code kernelLayers} (the mount is kernel
     * overlayfs on these layers, upper first) the phantoms that are whiteouts on disk are left
     * out: KERNEL_LISTS_WHITEOUTS.
     */
    private static Set<String> anomalySet(TreeSnapshot t, List<Path> kernelLayers) {
        Set<String> out = new TreeSet<>();
        for (String a : t.anomalies()) {
            out.add(TreeSnapshot.anomalyKey(a));
        }
        if (kernelLayers != null) {
            for (String p : t.phantoms()) {
                if (isWhiteoutOnDisk(kernelLayers, p)) {
                    out.remove(TreeSnapshot.anomalyKey("listed, but lstat says ENOENT: /" + Raw.display(p)));
                    DeliberateDifferences.count(DeliberateDifferences.Difference.KERNEL_LISTS_WHITEOUTS);
                }
            }
        }
        return out;
    }

    /** Null when equal, else the anomalies only one of the two has. */
    private static String compareAnomalies(Set<String> r, Set<String> o, String refName, String otherName) {
        if (r.equals(o)) {
            return null;
        }
        Set<String> onlyR = new TreeSet<>(r);
        onlyR.removeAll(o);
        Set<String> onlyO = new TreeSet<>(o);
        onlyO.removeAll(r);
        StringBuilder b = new StringBuilder();
        onlyR.forEach(x -> b.append("  only ").append(refName).append(": ").append(x).append('\n'));
        onlyO.forEach(x -> b.append("  only ").append(otherName).append(": ").append(x).append('\n'));
        return b.toString();
    }

    /** True when one of the layers has a whiteout at this path. */
    private static boolean isWhiteoutOnDisk(List<Path> layers, String rel) {
        for (Path l : layers) {
            String path = Raw.of(l) + "/" + rel;
            try {
                Stat st = Sys.lstat(path);
                if (st.isCharDevice00()) {
                    return true;
                }
                if (st.isReg() && st.size() == 0) {
                    for (String x : Sys.llistxattr(path)) {
                        if (x.equals("trusted.overlay.whiteout") || x.equals("user.overlay.whiteout")) {
                            return true;
                        }
                    }
                }
            } catch (ErrnoException e) {
                // not in this layer
            }
        }
        return false;
    }

    // ---- after unmounting ----

    private void afterUnmount() throws Exception {
        TreeSnapshot kFinal = kernel.last;
        TreeSnapshot jFinal = jover.last;
        kernel.mount.close();
        jover.mount.close();
        phase("unmount");
        UpperSnapshot ku = UpperSnapshot.of(kernel.upper);
        UpperSnapshot ju = UpperSnapshot.of(jover.upper);
        String d = ku.diff(ju, "kernel's upper", "jover's upper");
        if (!d.isEmpty()) {
            fail("upper " + firstUpperDifference(ku, ju), "the upper directories differ in format:\n" + d);
            return;
        }
        WhiteoutForm form = ex.whiteoutForm();
        Path base = kernel.mnt.getParent().getParent();

        // jover on the kernel's upper, with the kernel's (kernel-format) lowers
        Path jw = Files.createDirectories(base.resolve("cross/jover-work"));
        Path jm = Files.createDirectories(base.resolve("cross/jover-mnt"));
        TreeSnapshot jOnK;
        try (JoverMount m = fx.track(JoverMount.mount(kernel.lowers, Optional.of(kernel.upper), Optional.of(jw), jm,
                form.userxattr(), settings.joverOptions(ex)))) {
            jOnK = TreeSnapshot.of(jm);
        }
        phase("cross jover");
        crossCheck(kFinal, layersOf(kernel), kernel.upper, jOnK, null, "kernel", "jover on the kernel's upper", true);
        if (!findings.isEmpty()) {
            return;
        }

        // kernel overlayfs on jover's upper, with jover's lowers where the kernel reads their form
        List<Path> lowers = form.kernelReadable() ? jover.lowers : kernel.lowers;
        Path kw = Files.createDirectories(base.resolve("cross/kernel-work"));
        Path km = Files.createDirectories(base.resolve("cross/kernel-mnt"));
        TreeSnapshot kOnJ;
        try (KernelMount m = fx.track(KernelMount.mount(lowers, jover.upper, kw, km, form.userxattr()))) {
            kOnJ = TreeSnapshot.of(km);
        }
        phase("cross kernel");
        List<Path> kOnJLayers = new ArrayList<>();
        kOnJLayers.add(jover.upper);
        kOnJLayers.addAll(lowers);
        crossCheck(jFinal, null, jover.upper, kOnJ, kOnJLayers, "jover", "kernel on jover's upper",
                form.kernelReadable());
    }

    /**
     * One (kernel, jover) st_ino pair for {@link InoMatch}, with deliberate difference
     * KERNEL_LINK_NAMES_TWO_NUMBERS accepted: null, or the contradiction.
     */
    private String observeIno(long k, long j) {
        Long before = inos.kernelPairedWith(j);
        String bad = inos.observe(k, j);
        if (bad != null && before != null && ex.whiteoutForm().userxattr()
                && (linkOfFileWithoutOrigin(kernel.upper, k) || linkOfFileWithoutOrigin(kernel.upper, before))) {
            DeliberateDifferences.count(DeliberateDifferences.Difference.KERNEL_LINK_NAMES_TWO_NUMBERS);
            return null;
        }
        return bad;
    }

    /**
     * Whether {@code ino} is the real inode of a non-directory in the kernel's upper that has
     * several names and no origin xattr (a hard link made to a file copied up without one).
     */
    private static boolean linkOfFileWithoutOrigin(Path upper, long ino) {
        try (java.util.stream.Stream<Path> walk = Files.walk(upper)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Stat st = Sys.lstat(Raw.of(p));
                if (st.ino() == ino && !st.isDir() && st.nlink() >= 2) {
                    return Sys.llistxattr(Raw.of(p)).stream().noneMatch(n -> n.endsWith("overlay.origin"));
                }
            }
        } catch (IOException | ErrnoException | java.io.UncheckedIOException e) {
            return false;
        }
        return false;
    }

    /**
     * Whether {@code path} showed, in the live mount, the lower st_ino it kept after a copy-up
     * that could not record an origin (a symlink under userxattr): both implementations keep it
     * only while the mount knows the file, so a fresh mount shows the upper file's own number.
     */
    private static boolean transientIno(Path upper, String path, long ino) {
        try {
            String real = Raw.of(upper) + "/" + path;
            Stat st = Sys.lstat(real);
            return !st.isDir() && st.ino() != ino
                    && Sys.llistxattr(real).stream().noneMatch(n -> n.endsWith("overlay.origin"));
        } catch (ErrnoException e) {
            return false;
        }
    }

    private void crossCheck(TreeSnapshot before, List<Path> beforeKernelLayers, Path beforeUpper, TreeSnapshot cross,
            List<Path> crossKernelLayers, String beforeName, String crossName, boolean sameCopies) {
        String d = normalize(before).diff(normalize(cross), beforeName, crossName, 20);
        if (!d.isEmpty()) {
            fail("cross", crossName + " shows another tree than " + beforeName + " did before unmounting:\n" + d);
            return;
        }
        String a = compareAnomalies(anomalySet(before, beforeKernelLayers), anomalySet(cross, crossKernelLayers),
                beforeName, crossName);
        if (a != null) {
            fail("cross", "anomalies differ on " + crossName + ":\n" + a);
            return;
        }
        if (sameCopies) {
            List<String> moved = new ArrayList<>();
            before.inos().forEach((p, ino) -> {
                Long now = cross.inos().get(p);
                if (now != null && !now.equals(ino) && !transientIno(beforeUpper, p, ino)) {
                    moved.add("/" + Raw.display(p) + ": " + ino + " vs " + now);
                }
            });
            if (!moved.isEmpty()) {
                fail("cross", crossName + " shows other st_ino than " + beforeName + " (same layer copies):\n  "
                        + String.join("\n  ", moved));
            }
        }
    }
}
