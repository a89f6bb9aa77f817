package jover.differential;

import java.util.Locale;
import jover.sys.Linux;

/**
 * One generated operation: a kind, the caller ({@code who}: 0 root, 1 the unprivileged user) and
 * up to four small integers whose meaning depends on the kind (indexes into {@link Pool}). All
 * integers, so QuickTheories shrinks them towards the first pool entry and the operation crosses
 * to a child process as one line ({@link #line()}, {@link #parse}).
 */
record Op(Kind kind, int who, int a, int b, int c, int d) {

    /** The kinds, in shrink order: STAT (harmless) first, so shrinking turns noise into probes. */
    enum Kind {
        STAT, READDIR, READLINK, READ, ACCESS, XATTRS,
        OPEN, WRITE, TRUNCATE, CREATE, MKDIR, MKNOD, SYMLINK, LINK, UNLINK, RMDIR, RENAME,
        CHMOD, CHOWN, UTIMES, SETXATTR, REMOVEXATTR, RMRF,
        FD_READ, FD_WRITE, FD_STAT, FD_TRUNCATE, FD_CLOSE, READ_THEN_WRITE
    }

    static final int MKNOD_TYPES = 5;
    static final int OPEN_FLAG_MIXES = 3 * 64;

    Op {
        who = who == 0 ? 0 : 1;
    }

    /** The same operation run by root (shrinking aid and reproduction helper). */
    Op asRoot() {
        return new Op(kind, 0, a, b, c, d);
    }

    String line() {
        return kind + " " + who + " " + a + " " + b + " " + c + " " + d;
    }

    static Op parse(String line) {
        String[] f = line.trim().split(" ");
        return new Op(Kind.valueOf(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                Integer.parseInt(f[4]), Integer.parseInt(f[5]));
    }

    /** The path this operation works on first (null for descriptor operations). */
    String path() {
        return switch (kind) {
            case SYMLINK -> Pool.path(b);
            case FD_READ, FD_WRITE, FD_STAT, FD_TRUNCATE, FD_CLOSE -> null;
            default -> Pool.path(a);
        };
    }

    /** The slot of a descriptor operation or of an OPEN that keeps its descriptor; -1 otherwise. */
    int slot() {
        return switch (kind) {
            case FD_READ, FD_WRITE, FD_STAT, FD_TRUNCATE, FD_CLOSE -> Math.floorMod(a, Pool.SLOTS);
            case OPEN -> d == 0 ? -1 : Math.floorMod(d - 1, Pool.SLOTS);
            default -> -1;
        };
    }

    /** open(2) flags of an OPEN: access mode times six flag bits (O_NONBLOCK is always added). */
    static int openFlags(int mix) {
        int m = Math.floorMod(mix, OPEN_FLAG_MIXES);
        int acc = m % 3;
        int bits = m / 3;
        int flags = acc == 0 ? Linux.O_RDONLY : acc == 1 ? Linux.O_WRONLY : Linux.O_RDWR;
        int[] each = {Linux.O_CREAT, Linux.O_EXCL, Linux.O_TRUNC, Linux.O_APPEND, Linux.O_DIRECTORY, Linux.O_NOFOLLOW};
        for (int i = 0; i < each.length; i++) {
            if ((bits & (1 << i)) != 0) {
                flags |= each[i];
            }
        }
        return flags;
    }

    static String flagNames(int flags) {
        StringBuilder b = new StringBuilder();
        int acc = flags & Linux.O_ACCMODE;
        b.append(acc == Linux.O_RDONLY ? "O_RDONLY" : acc == Linux.O_WRONLY ? "O_WRONLY" : "O_RDWR");
        String[] names = {"O_CREAT", "O_EXCL", "O_TRUNC", "O_APPEND", "O_DIRECTORY", "O_NOFOLLOW"};
        int[] each = {Linux.O_CREAT, Linux.O_EXCL, Linux.O_TRUNC, Linux.O_APPEND, Linux.O_DIRECTORY, Linux.O_NOFOLLOW};
        for (int i = 0; i < each.length; i++) {
            if ((flags & each[i]) != 0) {
                b.append('|').append(names[i]);
            }
        }
        return b.toString();
    }

    /** True when the operation may change the tree (the rest only look). */
    boolean changes() {
        return switch (kind) {
            case STAT, READDIR, READLINK, READ, ACCESS, XATTRS, FD_READ, FD_STAT -> false;
            case OPEN -> (openFlags(b) & (Linux.O_ACCMODE | Linux.O_CREAT | Linux.O_TRUNC)) != 0;
            default -> true;
        };
    }

    private static String oct(int mode) {
        return String.format("%04o", mode);
    }

    private static String q(String raw) {
        return "'" + Pool.shown(raw) + "'";
    }

    static String mknodType(int i) {
        return switch (Math.floorMod(i, MKNOD_TYPES)) {
            case 0 -> "fifo";
            case 1 -> "regular";
            case 2 -> "char 1/3";
            case 3 -> "char 0/0";
            default -> "socket";
        };
    }

    /** Readable form, as in a shell session: what a person would type to reproduce the step. */
    String describe() {
        String p = path() == null ? null : q(path());
        String s = switch (kind) {
            case STAT -> (b % 2 == 0 ? "lstat " : "stat ") + p;
            case READDIR -> "readdir " + p;
            case READLINK -> "readlink " + p;
            case READ -> "read " + p + " at " + Pool.pick(Pool.OFFSETS, b) + " len " + Pool.pick(Pool.READ_LENGTHS, c);
            case ACCESS -> "access " + p + " mode " + Pool.pick(Pool.ACCESS_MODES, b);
            case XATTRS -> "llistxattr+lgetxattr " + p;
            case OPEN -> "open " + p + " " + flagNames(openFlags(b)) + "|O_NONBLOCK mode " + oct(Pool.pick(Pool.OP_MODES, c))
                    + (slot() < 0 ? ", close" : ", keep as fd#" + slot());
            case WRITE -> (Math.floorMod(d, 3) == 1 ? "append " : Math.floorMod(d, 3) == 2 ? "open O_TRUNC and pwrite "
                    : "pwrite ") + Pool.DATA_SIZES[Math.floorMod(c, Pool.DATA_SIZES.length)] + " bytes (seed " + seed()
                    + ")" + (Math.floorMod(d, 3) == 1 ? "" : " at " + Pool.pick(Pool.OFFSETS, b)) + " to " + p;
            case TRUNCATE -> "truncate " + p + " to " + Pool.pick(Pool.TRUNCATE_LENGTHS, b);
            case CREATE -> "create " + p + " O_CREAT|O_EXCL|O_WRONLY mode " + oct(Pool.pick(Pool.OP_MODES, b))
                    + (Math.floorMod(c, Pool.DATA_SIZES.length + 1) == 0 ? ""
                    : ", write " + Pool.DATA_SIZES[Math.floorMod(c, Pool.DATA_SIZES.length + 1) - 1] + " bytes");
            case MKDIR -> "mkdir " + p + " mode " + oct(Pool.pick(Pool.OP_MODES, b));
            case MKNOD -> "mknod " + p + " " + mknodType(b) + " mode " + oct(Pool.pick(Pool.OP_MODES, c));
            case SYMLINK -> "symlink " + p + " -> " + q(Pool.pick(Pool.TARGETS, a));
            case LINK -> "link " + p + " to " + q(Pool.path(b));
            case UNLINK -> "unlink " + p;
            case RMDIR -> "rmdir " + p;
            case RENAME -> "rename " + p + " -> " + q(Pool.path(b)) + renameFlagName(Pool.pick(Pool.RENAME_FLAGS, c));
            case CHMOD -> "chmod " + oct(Pool.pick(Pool.OP_MODES, b)) + " " + p;
            case CHOWN -> "lchown " + Pool.pick(Pool.CHOWN_IDS, b) + ":" + Pool.pick(Pool.CHOWN_IDS, c) + " " + p;
            case UTIMES -> "utimensat(NOFOLLOW) " + p + " " + timesName(Pool.TIMES[Math.floorMod(b, Pool.TIMES.length)]);
            case SETXATTR -> "lsetxattr " + p + " " + Pool.pick(Pool.XATTR_NAMES, b) + "='"
                    + abbreviate(Pool.pick(Pool.XATTR_VALUES, c)) + "'" + xattrFlagName(Pool.pick(Pool.XATTR_FLAGS, d));
            case REMOVEXATTR -> "lremovexattr " + p + " " + Pool.pick(Pool.XATTR_NAMES, b);
            case RMRF -> "rm -rf " + p;
            case FD_READ -> "pread fd#" + slot() + " at " + Pool.pick(Pool.OFFSETS, b) + " len "
                    + Pool.pick(Pool.READ_LENGTHS, c);
            case FD_WRITE -> "pwrite fd#" + slot() + " " + Pool.DATA_SIZES[Math.floorMod(c, Pool.DATA_SIZES.length)]
                    + " bytes (seed " + seed() + ") at " + Pool.pick(Pool.OFFSETS, b);
            case FD_STAT -> "fstat fd#" + slot();
            case FD_TRUNCATE -> "ftruncate fd#" + slot() + " to " + Pool.pick(Pool.TRUNCATE_LENGTHS, b);
            case FD_CLOSE -> "close fd#" + slot();
            case READ_THEN_WRITE -> "open " + p + " O_RDONLY, then through a second fd pwrite "
                    + Pool.DATA_SIZES[Math.floorMod(c, Pool.DATA_SIZES.length)] + " bytes (seed " + seed() + ") at "
                    + Pool.pick(Pool.OFFSETS, b) + ", then pread and fstat the first fd";
        };
        return (who == 0 ? "" : "[uid " + Pool.USER_UID + "] ") + s;
    }

    /** Seed of the data written by WRITE, FD_WRITE and READ_THEN_WRITE. */
    int seed() {
        return Math.floorMod(a * 131 + b * 31 + c * 7 + d, 1000);
    }

    private static String abbreviate(String v) {
        return v.length() > 12 ? v.substring(0, 3) + "...(" + v.length() + " bytes)" : v;
    }

    static String renameFlagName(int flags) {
        return switch (flags) {
            case 0 -> "";
            case 1 -> " RENAME_NOREPLACE";
            case 2 -> " RENAME_EXCHANGE";
            case 4 -> " RENAME_WHITEOUT";
            default -> " flags " + flags;
        };
    }

    static String xattrFlagName(int flags) {
        return flags == 0 ? "" : flags == Linux.XATTR_CREATE ? " XATTR_CREATE" : " XATTR_REPLACE";
    }

    private static String timesName(long[] t) {
        return "atime " + timeName(t[0], t[1]) + " mtime " + timeName(t[2], t[3]);
    }

    private static String timeName(long sec, long nsec) {
        if (nsec == jover.testing.FsCalls.UTIME_NOW) {
            return "UTIME_NOW";
        }
        if (nsec == jover.testing.FsCalls.UTIME_OMIT) {
            return "UTIME_OMIT";
        }
        return sec + "." + String.format(Locale.ROOT, "%09d", nsec);
    }

    @Override
    public String toString() {
        return describe();
    }
}
