package jover.testing;

import java.util.ArrayList;
import java.util.List;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.sys.Stat;

/**
 * The system calls the write-path tests make through a mount, each as plain as the C call (no
 * retries, no fallbacks) so the errno the mount answered is what the test sees: open with any
 * flags (O_TMPFILE too), renameat2 flags, mknod, link (AT_EMPTY_PATH), truncate, utimensat with
 * UTIME_NOW/UTIME_OMIT, fallocate, lseek SEEK_DATA/SEEK_HOLE, copy_file_range, fsync, syncfs,
 * xattrs, flock. Paths are raw strings (one char per byte, see {@link Raw}); test code only.
 */
public final class FsCalls {
    /** The C functions, as jnr-ffi binds them. */
    public interface C {
        @SaveError int openat(int dirfd, @In byte[] path, int flags, int mode);

        @SaveError int close(int fd);

        @SaveError long pread(int fd, @Out byte[] buf, long count, long offset);

        @SaveError long pwrite(int fd, @In byte[] buf, long count, long offset);

        @SaveError long write(int fd, @In byte[] buf, long count);

        @SaveError long lseek(int fd, long offset, int whence);

        @SaveError int ftruncate(int fd, long length);

        @SaveError int truncate(@In byte[] path, long length);

        @SaveError int fallocate(int fd, int mode, long offset, long len);

        @SaveError int fsync(int fd);

        @SaveError int fdatasync(int fd);

        @SaveError int syncfs(int fd);

        @SaveError long copy_file_range(int fdIn, @In @Out long[] offIn, int fdOut, @In @Out long[] offOut,
                long len, int flags);

        @SaveError int renameat2(int olddirfd, @In byte[] oldpath, int newdirfd, @In byte[] newpath, int flags);

        @SaveError int linkat(int olddirfd, @In byte[] oldpath, int newdirfd, @In byte[] newpath, int flags);

        @SaveError int unlinkat(int dirfd, @In byte[] path, int flags);

        @SaveError int mkdirat(int dirfd, @In byte[] path, int mode);

        @SaveError int mknodat(int dirfd, @In byte[] path, int mode, long dev);

        @SaveError int symlinkat(@In byte[] target, int dirfd, @In byte[] path);

        @SaveError int fchmodat(int dirfd, @In byte[] path, int mode, int flags);

        @SaveError int fchmod(int fd, int mode);

        @SaveError int fchownat(int dirfd, @In byte[] path, int uid, int gid, int flags);

        @SaveError int utimensat(int dirfd, @In byte[] path, @In long[] times, int flags);

        @SaveError int futimens(int fd, @In long[] times);

        @SaveError int lsetxattr(@In byte[] path, @In byte[] name, @In byte[] value, long size, int flags);

        @SaveError int fsetxattr(int fd, @In byte[] name, @In byte[] value, long size, int flags);

        @SaveError int lremovexattr(@In byte[] path, @In byte[] name);

        @SaveError long lgetxattr(@In byte[] path, @In byte[] name, @Out byte[] value, long size);

        @SaveError long llistxattr(@In byte[] path, @Out byte[] list, long size);

        @SaveError int flock(int fd, int operation);

        @SaveError int faccessat(int dirfd, @In byte[] path, int mode, int flags);

        @SaveError long readlinkat(int dirfd, @In byte[] path, @Out byte[] buf, long size);

        @SaveError int statx(int dirfd, @In byte[] path, int flags, int mask, @Out byte[] buf);

        int umask(int mask);
    }

    public static final int O_TMPFILE = 020000000 | Linux.O_DIRECTORY;
    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;
    public static final int RENAME_WHITEOUT = 4;
    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;
    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;
    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;

    private static final C LIBC = LibraryLoader.create(C.class).failImmediately().load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private FsCalls() {
    }

    private static long check(long rc, String call, String what) throws ErrnoException {
        if (rc < 0) {
            throw new ErrnoException(RUNTIME.getLastError(), call, what);
        }
        return rc;
    }

    private static byte[] c(String raw) {
        return Raw.cString(raw);
    }

    /** openat(AT_FDCWD, path, flags | O_CLOEXEC, mode); the caller closes the descriptor. */
    public static int open(String path, int flags, int mode) throws ErrnoException {
        return (int) check(LIBC.openat(Linux.AT_FDCWD, c(path), flags | Linux.O_CLOEXEC, mode), "open", path);
    }

    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int AT_STATX_FORCE_SYNC = 0x2000;
    private static final int STATX_TYPE = 0x1;
    private static final int STATX_MODE = 0x2;
    private static final int STATX_NLINK = 0x4;
    private static final int STATX_SIZE = 0x200;
    /** Where struct statx keeps stx_size. */
    private static final int STX_SIZE_OFFSET = 40;

    /**
     * The size of the file open as {@code fd}, asked of the filesystem itself
     * (AT_STATX_FORCE_SYNC: a FUSE mount gets a GETATTR whatever the kernel has cached).
     */
    public static long fstatSizeSynced(int fd) throws ErrnoException {
        return statxSize(fd, "", AT_EMPTY_PATH | AT_STATX_FORCE_SYNC, "fd " + fd);
    }

    /** The size of {@code path} (not following a final symlink), asked of the filesystem itself. */
    public static long lstatSizeSynced(String path) throws ErrnoException {
        return statxSize(Linux.AT_FDCWD, path, Linux.AT_SYMLINK_NOFOLLOW | AT_STATX_FORCE_SYNC, path);
    }

    /**
     * fstat of {@code fd} asked of the filesystem itself, as "mode NLINK": the file type and
     * permission bits in octal and the link count.
     */
    public static String fstatModeAndLinks(int fd) throws ErrnoException {
        byte[] buf = new byte[256];
        check(LIBC.statx(fd, c(""), AT_EMPTY_PATH | AT_STATX_FORCE_SYNC, STATX_TYPE | STATX_MODE | STATX_NLINK, buf),
                "statx", "fd " + fd);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return Integer.toOctalString(b.getShort(28) & 0xffff) + " " + b.getInt(16); // stx_mode, stx_nlink
    }

    private static long statxSize(int dirfd, String path, int flags, String what) throws ErrnoException {
        byte[] buf = new byte[256];
        check(LIBC.statx(dirfd, c(path), flags, STATX_SIZE, buf), "statx", what);
        return java.nio.ByteBuffer.wrap(buf).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(STX_SIZE_OFFSET);
    }

    public static void close(int fd) {
        LIBC.close(fd);
    }

    /** Reads up to {@code count} bytes at {@code offset}; the bytes read. */
    public static byte[] pread(int fd, int count, long offset) throws ErrnoException {
        byte[] buf = new byte[count];
        int n = (int) check(LIBC.pread(fd, buf, count, offset), "pread", "fd " + fd);
        return java.util.Arrays.copyOf(buf, n);
    }

    public static long pwrite(int fd, byte[] data, long offset) throws ErrnoException {
        return check(LIBC.pwrite(fd, data, data.length, offset), "pwrite", "fd " + fd);
    }

    public static long write(int fd, byte[] data) throws ErrnoException {
        return check(LIBC.write(fd, data, data.length), "write", "fd " + fd);
    }

    public static long lseek(int fd, long offset, int whence) throws ErrnoException {
        return check(LIBC.lseek(fd, offset, whence), "lseek", "fd " + fd);
    }

    public static void ftruncate(int fd, long length) throws ErrnoException {
        check(LIBC.ftruncate(fd, length), "ftruncate", "fd " + fd);
    }

    public static void truncate(String path, long length) throws ErrnoException {
        check(LIBC.truncate(c(path), length), "truncate", path);
    }

    public static void fallocate(int fd, int mode, long offset, long len) throws ErrnoException {
        check(LIBC.fallocate(fd, mode, offset, len), "fallocate", "fd " + fd);
    }

    public static void fsync(int fd) throws ErrnoException {
        check(LIBC.fsync(fd), "fsync", "fd " + fd);
    }

    public static void fdatasync(int fd) throws ErrnoException {
        check(LIBC.fdatasync(fd), "fdatasync", "fd " + fd);
    }

    public static void syncfs(int fd) throws ErrnoException {
        check(LIBC.syncfs(fd), "syncfs", "fd " + fd);
    }

    /** copy_file_range with explicit offsets (the descriptors' positions do not move). */
    public static long copyFileRange(int fdIn, long offIn, int fdOut, long offOut, long len) throws ErrnoException {
        return check(LIBC.copy_file_range(fdIn, new long[] {offIn}, fdOut, new long[] {offOut}, len, 0),
                "copy_file_range", "fd " + fdIn + " -> fd " + fdOut);
    }

    public static void rename2(String from, String to, int flags) throws ErrnoException {
        check(LIBC.renameat2(Linux.AT_FDCWD, c(from), Linux.AT_FDCWD, c(to), flags), "renameat2", from + " -> " + to);
    }

    public static void link(String existing, String path) throws ErrnoException {
        check(LIBC.linkat(Linux.AT_FDCWD, c(existing), Linux.AT_FDCWD, c(path), 0), "link", existing + " -> " + path);
    }

    /** linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH): gives an O_TMPFILE file a name. */
    public static void linkFd(int fd, String path) throws ErrnoException {
        check(LIBC.linkat(fd, new byte[] {0}, Linux.AT_FDCWD, c(path), Linux.AT_EMPTY_PATH), "linkat", path);
    }

    public static void unlink(String path) throws ErrnoException {
        check(LIBC.unlinkat(Linux.AT_FDCWD, c(path), 0), "unlink", path);
    }

    public static void rmdir(String path) throws ErrnoException {
        check(LIBC.unlinkat(Linux.AT_FDCWD, c(path), Linux.AT_REMOVEDIR), "rmdir", path);
    }

    public static void mkdir(String path, int mode) throws ErrnoException {
        check(LIBC.mkdirat(Linux.AT_FDCWD, c(path), mode), "mkdir", path);
    }

    /** mknod; {@code mode} includes the file type. */
    public static void mknod(String path, int mode, int major, int minor) throws ErrnoException {
        check(LIBC.mknodat(Linux.AT_FDCWD, c(path), mode, Stat.makedev(major, minor)), "mknod", path);
    }

    public static void symlink(String target, String path) throws ErrnoException {
        check(LIBC.symlinkat(c(target), Linux.AT_FDCWD, c(path)), "symlink", path);
    }

    /** chmod following a trailing symlink, as chmod(2) does. */
    public static void chmod(String path, int mode) throws ErrnoException {
        check(LIBC.fchmodat(Linux.AT_FDCWD, c(path), mode, 0), "chmod", path);
    }

    public static void fchmod(int fd, int mode) throws ErrnoException {
        check(LIBC.fchmod(fd, mode), "fchmod", "fd " + fd);
    }

    /** lchown (-1 leaves a value unchanged). */
    public static void lchown(String path, int uid, int gid) throws ErrnoException {
        check(LIBC.fchownat(Linux.AT_FDCWD, c(path), uid, gid, Linux.AT_SYMLINK_NOFOLLOW), "lchown", path);
    }

    /**
     * utimensat(AT_FDCWD, path, {atime, mtime}, AT_SYMLINK_NOFOLLOW); a nanosecond value of
     * {@link #UTIME_NOW} or {@link #UTIME_OMIT} means what it means in C.
     */
    public static void utimens(String path, long aSec, long aNsec, long mSec, long mNsec) throws ErrnoException {
        check(LIBC.utimensat(Linux.AT_FDCWD, c(path), new long[] {aSec, aNsec, mSec, mNsec},
                Linux.AT_SYMLINK_NOFOLLOW), "utimensat", path);
    }

    /** utimensat(AT_FDCWD, path, NULL, 0): both times to now (what touch does). */
    public static void utimensNow(String path) throws ErrnoException {
        check(LIBC.utimensat(Linux.AT_FDCWD, c(path), null, 0), "utimensat", path);
    }

    public static void lsetxattr(String path, String name, byte[] value, int flags) throws ErrnoException {
        check(LIBC.lsetxattr(c(path), c(name), value, value.length, flags), "lsetxattr", path + " " + name);
    }

    public static void fsetxattr(int fd, String name, byte[] value, int flags) throws ErrnoException {
        check(LIBC.fsetxattr(fd, c(name), value, value.length, flags), "fsetxattr", "fd " + fd + " " + name);
    }

    public static void lremovexattr(String path, String name) throws ErrnoException {
        check(LIBC.lremovexattr(c(path), c(name)), "lremovexattr", path + " " + name);
    }

    public static byte[] lgetxattr(String path, String name) throws ErrnoException {
        byte[] buf = new byte[65536];
        int n = (int) check(LIBC.lgetxattr(c(path), c(name), buf, buf.length), "lgetxattr", path + " " + name);
        return java.util.Arrays.copyOf(buf, n);
    }

    /** llistxattr, names in the order the filesystem gave them. */
    public static List<String> llistxattr(String path) throws ErrnoException {
        byte[] buf = new byte[65536];
        int n = (int) check(LIBC.llistxattr(c(path), buf, buf.length), "llistxattr", path);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == 0) {
                if (i > start) {
                    out.add(Raw.of(buf, start, i - start));
                }
                start = i + 1;
            }
        }
        return out;
    }

    public static void flock(int fd, int operation) throws ErrnoException {
        check(LIBC.flock(fd, operation), "flock", "fd " + fd);
    }

    public static void access(String path, int mode) throws ErrnoException {
        check(LIBC.faccessat(Linux.AT_FDCWD, c(path), mode, 0), "access", path);
    }

    public static String readlink(String path) throws ErrnoException {
        byte[] buf = new byte[4096];
        int n = (int) check(LIBC.readlinkat(Linux.AT_FDCWD, c(path), buf, buf.length), "readlink", path);
        return Raw.of(buf, 0, n);
    }

    /** Sets this process's umask; the previous one. */
    public static int umask(int mask) {
        return LIBC.umask(mask);
    }

    private static final String[] EXTRA_NAMES = new String[134];

    static {
        EXTRA_NAMES[3] = "ESRCH";
        EXTRA_NAMES[10] = "ECHILD";
        EXTRA_NAMES[14] = "EFAULT";
        EXTRA_NAMES[15] = "ENOTBLK";
        EXTRA_NAMES[23] = "ENFILE";
        EXTRA_NAMES[26] = "ETXTBSY";
        EXTRA_NAMES[29] = "ESPIPE";
        EXTRA_NAMES[32] = "EPIPE";
        EXTRA_NAMES[88] = "ENOTSOCK";
        EXTRA_NAMES[98] = "EADDRINUSE";
        EXTRA_NAMES[122] = "EDQUOT";
    }

    /** Symbolic errno name ("ENOENT"), also for a few errnos {@link Errno} does not list. */
    public static String errnoName(int errno) {
        if (errno > 0 && errno < EXTRA_NAMES.length && EXTRA_NAMES[errno] != null) {
            return EXTRA_NAMES[errno];
        }
        return Errno.name(errno);
    }
}
