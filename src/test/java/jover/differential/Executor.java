package jover.differential;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import jover.sys.DirEntry;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.ProcessCalls;
import jover.sys.Raw;
import jover.sys.Stat;
import jover.sys.Sys;
import jover.testing.FsCalls;

/**
 * Runs {@link Op}s through the ordinary system calls on a mount, in a child process of its own
 * (one as root, one as the unprivileged user: {@link Callers}), so that umask changes, held
 * descriptors and a call stuck on a hung mount never touch the test JVM. Descriptors kept by
 * OPEN live in slots per mount ("side" 0 and 1).
 *
 * <p>Safety (tests run as root): before any call that changes something through a path, every
 * component of the path but the last is lstat'ed, and the operation is skipped ("skip: symlink
 * at ...") if one is a symlink; the last component is never followed by a changing call (opens
 * get O_NOFOLLOW, lchown, lsetxattr, utimensat(AT_SYMLINK_NOFOLLOW); chmod and truncate, which
 * always follow, are skipped on a symlink). Calls that only read may follow symlinks: every
 * target {@link Pool} or a layer holds stays inside the mount or names /nonexistent-jover-test.
 * The executor refuses to start if that directory exists. Every open adds O_NONBLOCK (fifos).
 *
 * <p>Protocol, one line each way: {@code RESET <umask octal>} (closes every slot, sets the umask),
 * {@code CLOSE <side>}, {@code OP <side> <mount root, hex> <op line>} answered by
 * {@link Outcome#wire()}.
 */
public final class Executor {
    /** A kept descriptor and, when read-only, what it showed when opened. */
    private static final class Held {
        final Fd fd;
        final int flags;
        final byte[] openData;
        final Stat openStat;

        Held(Fd fd, int flags, byte[] openData, Stat openStat) {
            this.fd = fd;
            this.flags = flags;
            this.openData = openData;
            this.openStat = openStat;
        }
    }

    private static final int MAX_KEPT_DATA = 16 << 20;
    private final Held[][] slots = new Held[2][Pool.SLOTS];

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        try {
            Sys.lstat(Pool.NONEXISTENT);
            out.println("FATAL " + Pool.NONEXISTENT + " exists: generated symlinks could reach it");
            return;
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOENT) {
                out.println("FATAL lstat " + Pool.NONEXISTENT + ": " + e.getMessage());
                return;
            }
        }
        Executor ex = new Executor();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("READY uid " + ProcessCalls.geteuid());
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split(" ", 4);
            switch (f[0]) {
                case "RESET" -> {
                    ex.closeAll(0);
                    ex.closeAll(1);
                    FsCalls.umask(Integer.parseInt(f[1], 8));
                    out.println("OK");
                }
                case "CLOSE" -> {
                    ex.closeAll(Integer.parseInt(f[1]));
                    out.println("OK");
                }
                case "OP" -> {
                    String root = Raw.of(HexFormat.of().parseHex(f[2]));
                    Outcome o;
                    try {
                        o = ex.run(Integer.parseInt(f[1]), root, Op.parse(f[3]));
                    } catch (RuntimeException e) {
                        o = Outcome.of("exception " + e);
                    }
                    out.println(o.wire());
                }
                default -> out.println("ERROR unknown command " + f[0]);
            }
        }
    }

    void closeAll(int side) {
        for (int i = 0; i < Pool.SLOTS; i++) {
            if (slots[side][i] != null) {
                slots[side][i].fd.close();
                slots[side][i] = null;
            }
        }
    }

    private static String full(String root, String rel) {
        return rel.isEmpty() ? root : root + "/" + rel;
    }

    /**
     * The safety rule: a reason to skip when a component before the last (and the last too, when
     * {@code lastToo}) is a symlink; null when the call may be made. A component that cannot be
     * looked up ends the check: the call itself fails there, before reaching anything further.
     */
    static String guard(String root, String rel, boolean lastToo) {
        if (rel.isEmpty()) {
            return null;
        }
        String[] parts = rel.split("/");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                prefix.append('/');
            }
            prefix.append(parts[i]);
            if (i == parts.length - 1 && !lastToo) {
                break;
            }
            try {
                if (Sys.lstat(root + "/" + prefix).isLink()) {
                    return "skip: symlink at " + Raw.display(prefix.toString());
                }
            } catch (ErrnoException e) {
                return null;
            }
        }
        return null;
    }

    private static String guard2(String root, String rel1, String rel2) {
        String g = guard(root, rel1, false);
        return g != null ? g : guard(root, rel2, false);
    }

    Outcome run(int side, String root, Op op) {
        String rel = op.path();
        String path = rel == null ? null : full(root, rel);
        try {
            return switch (op.kind()) {
                case STAT -> stat(path, op.b() % 2 != 0);
                case READDIR -> readdir(path);
                case READLINK -> Outcome.of("ok '" + Raw.display(FsCalls.readlink(path)) + "'");
                case READ -> read(path, Pool.pick(Pool.OFFSETS, op.b()), Pool.pick(Pool.READ_LENGTHS, op.c()));
                case ACCESS -> {
                    FsCalls.access(path, Pool.pick(Pool.ACCESS_MODES, op.b()));
                    yield Outcome.of("ok");
                }
                case XATTRS -> xattrs(path);
                case OPEN -> open(side, root, rel, op);
                case WRITE -> write(root, rel, op);
                case TRUNCATE -> guarded(guard(root, rel, true), () -> FsCalls.truncate(path,
                        Pool.pick(Pool.TRUNCATE_LENGTHS, op.b())));
                case CREATE -> create(root, rel, op);
                case MKDIR -> guarded(guard(root, rel, false), () -> FsCalls.mkdir(path,
                        Pool.pick(Pool.OP_MODES, op.b())));
                case MKNOD -> guarded(guard(root, rel, false), () -> mknod(path, op.b(), Pool.pick(Pool.OP_MODES, op.c())));
                case SYMLINK -> guarded(guard(root, rel, false), () -> FsCalls.symlink(Pool.pick(Pool.TARGETS, op.a()),
                        path));
                case LINK -> guarded(guard2(root, rel, Pool.path(op.b())), () -> FsCalls.link(path,
                        full(root, Pool.path(op.b()))));
                case UNLINK -> guarded(guard(root, rel, false), () -> FsCalls.unlink(path));
                case RMDIR -> guarded(guard(root, rel, false), () -> FsCalls.rmdir(path));
                case RENAME -> guarded(guard2(root, rel, Pool.path(op.b())), () -> FsCalls.rename2(path,
                        full(root, Pool.path(op.b())), Pool.pick(Pool.RENAME_FLAGS, op.c())));
                case CHMOD -> guarded(guard(root, rel, true), () -> FsCalls.chmod(path, Pool.pick(Pool.OP_MODES, op.b())));
                case CHOWN -> guarded(guard(root, rel, false), () -> FsCalls.lchown(path, Pool.pick(Pool.CHOWN_IDS, op.b()),
                        Pool.pick(Pool.CHOWN_IDS, op.c())));
                case UTIMES -> {
                    long[] t = Pool.TIMES[Math.floorMod(op.b(), Pool.TIMES.length)];
                    yield guarded(guard(root, rel, false), () -> FsCalls.utimens(path, t[0], t[1], t[2], t[3]));
                }
                case SETXATTR -> guarded(guard(root, rel, false), () -> FsCalls.lsetxattr(path,
                        Pool.pick(Pool.XATTR_NAMES, op.b()), Raw.bytes(Pool.pick(Pool.XATTR_VALUES, op.c())),
                        Pool.pick(Pool.XATTR_FLAGS, op.d())));
                case REMOVEXATTR -> guarded(guard(root, rel, false), () -> FsCalls.lremovexattr(path,
                        Pool.pick(Pool.XATTR_NAMES, op.b())));
                case RMRF -> rmrf(root, rel);
                case FD_READ, FD_WRITE, FD_STAT, FD_TRUNCATE, FD_CLOSE -> fdOp(side, op);
                case READ_THEN_WRITE -> readThenWrite(root, rel, op);
            };
        } catch (ErrnoException e) {
            return err(e);
        }
    }

    private interface Call {
        void run() throws ErrnoException;
    }

    private static Outcome guarded(String skip, Call call) throws ErrnoException {
        if (skip != null) {
            return Outcome.of(skip);
        }
        call.run();
        return Outcome.of("ok");
    }

    private static Outcome err(ErrnoException e) {
        return Outcome.of(FsCalls.errnoName(e.errno()));
    }

    // ---- looking ----

    static String typeChar(int mode) {
        return switch (mode & Linux.S_IFMT) {
            case Linux.S_IFREG -> "f";
            case Linux.S_IFDIR -> "d";
            case Linux.S_IFLNK -> "l";
            case Linux.S_IFIFO -> "p";
            case Linux.S_IFCHR -> "c";
            case Linux.S_IFBLK -> "b";
            case Linux.S_IFSOCK -> "s";
            default -> "?";
        };
    }

    /** Type, permission bits, owner, size (not for directories), nlink, device numbers. */
    static String describe(Stat st) {
        StringBuilder b = new StringBuilder(typeChar(st.mode())).append(' ')
                .append(String.format("%04o", st.mode() & 07777)).append(' ').append(st.uid()).append(':')
                .append(st.gid());
        if (!st.isDir()) {
            b.append(" size ").append(st.size());
        }
        b.append(" nlink ").append(st.nlink());
        int t = st.mode() & Linux.S_IFMT;
        if (t == Linux.S_IFCHR || t == Linux.S_IFBLK) {
            b.append(" rdev ").append(st.rdevMajor()).append('/').append(st.rdevMinor());
        }
        return b.toString();
    }

    private static Outcome stat(String path, boolean follow) throws ErrnoException {
        Stat st;
        if (follow) {
            try (Fd fd = Sys.open(path, Linux.O_PATH)) {
                st = Sys.stat(fd);
            }
        } else {
            st = Sys.lstat(path);
        }
        return new Outcome("ok " + describe(st), List.of(st.ino()), null);
    }

    private static Outcome readdir(String path) throws ErrnoException {
        List<DirEntry> list;
        try (Fd fd = Sys.open(path, Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NONBLOCK)) {
            list = new ArrayList<>(Sys.readDir(fd));
        }
        list.removeIf(DirEntry::isDotOrDotDot);
        list.sort((x, y) -> x.name().compareTo(y.name()));
        List<String> items = new ArrayList<>();
        List<Long> inos = new ArrayList<>();
        for (DirEntry d : list) {
            String item = "'" + Raw.display(d.name()) + "':" + d.type();
            try {
                Sys.lstat(path + "/" + d.name());
                inos.add(d.ino());
            } catch (ErrnoException e) {
                item += e.errno() == Errno.ENOENT ? ":phantom" : ":" + FsCalls.errnoName(e.errno());
            }
            items.add(item);
        }
        return new Outcome("ok [" + String.join(", ", items) + "]", inos, null);
    }

    static String summary(byte[] data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return "n=" + data.length + " sha=" + HexFormat.of().formatHex(md.digest(data)).substring(0, 10);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** pread until {@code len} bytes or end of file. */
    private static byte[] preadFully(int fd, int len, long off) throws ErrnoException {
        byte[] out = new byte[len];
        int done = 0;
        while (done < len) {
            byte[] chunk = FsCalls.pread(fd, len - done, off + done);
            if (chunk.length == 0) {
                break;
            }
            System.arraycopy(chunk, 0, out, done, chunk.length);
            done += chunk.length;
        }
        return Arrays.copyOf(out, done);
    }

    private static Outcome read(String path, long off, int len) throws ErrnoException {
        int fd = FsCalls.open(path, Linux.O_RDONLY | Linux.O_NONBLOCK, 0);
        try {
            return Outcome.of("ok " + summary(preadFully(fd, len, off)));
        } finally {
            FsCalls.close(fd);
        }
    }

    private static String xattrValue(byte[] v) {
        boolean printable = v.length <= 16;
        for (byte c : v) {
            printable &= c >= 0x20 && c < 0x7f;
        }
        return printable ? "'" + new String(v, StandardCharsets.US_ASCII) + "'" : summary(v);
    }

    private static Outcome xattrs(String path) throws ErrnoException {
        List<String> names = new ArrayList<>(FsCalls.llistxattr(path));
        Collections.sort(names);
        List<String> items = new ArrayList<>();
        for (String n : names) {
            String v;
            try {
                v = xattrValue(FsCalls.lgetxattr(path, n));
            } catch (ErrnoException e) {
                v = FsCalls.errnoName(e.errno());
            }
            items.add(Raw.display(n) + "=" + v);
        }
        return Outcome.of("ok [" + String.join(", ", items) + "]");
    }

    // ---- descriptors ----

    private Outcome open(int side, String root, String rel, Op op) throws ErrnoException {
        int flags = Op.openFlags(op.b()) | Linux.O_NONBLOCK;
        boolean changing = (flags & (Linux.O_ACCMODE | Linux.O_CREAT | Linux.O_TRUNC)) != 0;
        if (changing) {
            String skip = guard(root, rel, false);
            if (skip != null) {
                return Outcome.of(skip);
            }
            flags |= Linux.O_NOFOLLOW;
        }
        Fd fd = new Fd(FsCalls.open(full(root, rel), flags, Pool.pick(Pool.OP_MODES, op.c())));
        Stat st = Sys.stat(fd);
        Outcome o = new Outcome("ok " + typeChar(st.mode()), List.of(st.ino()), null);
        int slot = op.slot();
        if (slot < 0) {
            fd.close();
            return o;
        }
        byte[] data = null;
        if ((flags & Linux.O_ACCMODE) == Linux.O_RDONLY && st.isReg() && st.size() <= MAX_KEPT_DATA) {
            try {
                data = preadFully(fd.get(), (int) st.size(), 0);
            } catch (ErrnoException e) {
                data = null;
            }
        }
        if (slots[side][slot] != null) {
            slots[side][slot].fd.close();
        }
        slots[side][slot] = new Held(fd, flags, data, st);
        return o;
    }

    private Outcome fdOp(int side, Op op) throws ErrnoException {
        int slot = op.slot();
        Held h = slots[side][slot];
        if (h == null) {
            return Outcome.of("no fd#" + slot);
        }
        int fd = h.fd.get();
        switch (op.kind()) {
            case FD_READ -> {
                long off = Pool.pick(Pool.OFFSETS, op.b());
                int len = Pool.pick(Pool.READ_LENGTHS, op.c());
                String stale = null;
                if (h.openData != null) {
                    int from = (int) Math.min(off, h.openData.length);
                    int to = (int) Math.min((long) from + len, h.openData.length);
                    stale = "ok " + summary(Arrays.copyOfRange(h.openData, from, to));
                }
                return new Outcome("ok " + summary(preadFully(fd, len, off)), List.of(), stale);
            }
            case FD_WRITE -> {
                byte[] data = Pool.data(op.c(), op.seed());
                return Outcome.of("ok wrote " + FsCalls.pwrite(fd, data, Pool.pick(Pool.OFFSETS, op.b())));
            }
            case FD_STAT -> {
                Stat st = Sys.stat(h.fd);
                String stale = h.openData != null ? "ok " + describe(h.openStat) : null;
                return new Outcome("ok " + describe(st), List.of(st.ino()), stale);
            }
            case FD_TRUNCATE -> {
                FsCalls.ftruncate(fd, Pool.pick(Pool.TRUNCATE_LENGTHS, op.b()));
                return Outcome.of("ok");
            }
            case FD_CLOSE -> {
                h.fd.close();
                slots[side][slot] = null;
                return Outcome.of("ok");
            }
            default -> throw new IllegalStateException(op.toString());
        }
    }

    // ---- changing ----

    private static Outcome write(String root, String rel, Op op) throws ErrnoException {
        String skip = guard(root, rel, false);
        if (skip != null) {
            return Outcome.of(skip);
        }
        int how = Math.floorMod(op.d(), 3);
        int flags = Linux.O_WRONLY | Linux.O_NONBLOCK | Linux.O_NOFOLLOW
                | (how == 1 ? Linux.O_APPEND : how == 2 ? Linux.O_TRUNC : 0);
        byte[] data = Pool.data(op.c(), op.seed());
        int fd = FsCalls.open(full(root, rel), flags, 0);
        try {
            long n = how == 1 ? FsCalls.write(fd, data) : FsCalls.pwrite(fd, data, Pool.pick(Pool.OFFSETS, op.b()));
            return Outcome.of("ok wrote " + n);
        } finally {
            FsCalls.close(fd);
        }
    }

    private static Outcome create(String root, String rel, Op op) throws ErrnoException {
        String skip = guard(root, rel, false);
        if (skip != null) {
            return Outcome.of(skip);
        }
        int fd = FsCalls.open(full(root, rel), Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_NONBLOCK,
                Pool.pick(Pool.OP_MODES, op.b()));
        try {
            int size = Math.floorMod(op.c(), Pool.DATA_SIZES.length + 1);
            String wrote = "";
            if (size > 0) {
                wrote = " wrote " + FsCalls.write(fd, Pool.data(size - 1, op.seed()));
            }
            Stat st = Sys.stat(new Fd(fd));
            return new Outcome("ok" + wrote, List.of(st.ino()), null);
        } finally {
            FsCalls.close(fd);
        }
    }

    private static void mknod(String path, int type, int mode) throws ErrnoException {
        switch (Math.floorMod(type, Op.MKNOD_TYPES)) {
            case 0 -> FsCalls.mknod(path, Linux.S_IFIFO | mode, 0, 0);
            case 1 -> FsCalls.mknod(path, Linux.S_IFREG | mode, 0, 0);
            case 2 -> FsCalls.mknod(path, Linux.S_IFCHR | mode, 1, 3);
            case 3 -> FsCalls.mknod(path, Linux.S_IFCHR | mode, 0, 0);
            default -> FsCalls.mknod(path, Linux.S_IFSOCK | mode, 0, 0);
        }
    }

    /** rm -rf: never follows a symlink; children in name order; ENOENT ignored; other errors listed. */
    private static Outcome rmrf(String root, String rel) {
        String skip = guard(root, rel, false);
        if (skip != null) {
            return Outcome.of(skip);
        }
        List<String> errors = new ArrayList<>();
        remove(root, rel, errors);
        return Outcome.of(errors.isEmpty() ? "ok" : "errors " + errors);
    }

    private static void remove(String root, String rel, List<String> errors) {
        String path = full(root, rel);
        Stat st;
        try {
            st = Sys.lstat(path);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOENT) {
                errors.add(FsCalls.errnoName(e.errno()) + " at lstat " + Pool.shown(rel));
            }
            return;
        }
        if (st.isDir()) {
            List<String> names = new ArrayList<>();
            try (Fd fd = Sys.open(path, Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_NONBLOCK)) {
                for (DirEntry d : Sys.readDir(fd)) {
                    if (!d.isDotOrDotDot()) {
                        names.add(d.name());
                    }
                }
            } catch (ErrnoException e) {
                errors.add(FsCalls.errnoName(e.errno()) + " at opendir " + Pool.shown(rel));
            }
            Collections.sort(names);
            for (String n : names) {
                remove(root, rel.isEmpty() ? n : rel + "/" + n, errors);
            }
            try {
                FsCalls.rmdir(path);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENOENT) {
                    errors.add(FsCalls.errnoName(e.errno()) + " at rmdir " + Pool.shown(rel));
                }
            }
        } else {
            try {
                FsCalls.unlink(path);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENOENT) {
                    errors.add(FsCalls.errnoName(e.errno()) + " at unlink " + Pool.shown(rel));
                }
            }
        }
    }

    /**
     * Opens read-only, reads the window the write will cover, writes through a second descriptor
     * (a copy-up when the file is lower), reads the window again and fstats the first descriptor.
     */
    private static Outcome readThenWrite(String root, String rel, Op op) throws ErrnoException {
        String skip = guard(root, rel, false);
        if (skip != null) {
            return Outcome.of(skip);
        }
        String path = full(root, rel);
        byte[] data = Pool.data(op.c(), op.seed());
        long off = Pool.pick(Pool.OFFSETS, op.b());
        int ro;
        try {
            ro = FsCalls.open(path, Linux.O_RDONLY | Linux.O_NONBLOCK | Linux.O_NOFOLLOW, 0);
        } catch (ErrnoException e) {
            return Outcome.of(FsCalls.errnoName(e.errno()) + " opening read-only");
        }
        try {
            Stat before = Sys.stat(new Fd(ro));
            String b = summary(preadFully(ro, data.length, off));
            String w;
            try {
                int wr = FsCalls.open(path, Linux.O_WRONLY | Linux.O_NONBLOCK | Linux.O_NOFOLLOW, 0);
                try {
                    w = "wrote " + FsCalls.pwrite(wr, data, off);
                } finally {
                    FsCalls.close(wr);
                }
            } catch (ErrnoException e) {
                w = FsCalls.errnoName(e.errno());
            }
            String a = summary(preadFully(ro, data.length, off));
            Stat after = Sys.stat(new Fd(ro));
            String text = "ok before " + b + ", " + w + ", after " + a + ", fstat " + describe(after);
            String stale = "ok before " + b + ", " + w + ", after " + b + ", fstat " + describe(before);
            return new Outcome(text, List.of(before.ino(), after.ino()), stale);
        } finally {
            FsCalls.close(ro);
        }
    }
}
