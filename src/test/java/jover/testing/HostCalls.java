package jover.testing;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Raw;

/**
 * Test-only system calls that {@link jover.sys.Sys} does not offer (yet): creating trees with raw
 * (byte) names, setting owners, modes and times without following symlinks, signals.
 * Paths are raw strings (one char per byte, see {@link Raw}). Everything here acts on host
 * paths of the test's own temp directories; nothing is used by main code.
 */
public final class HostCalls {
    /** The C functions, as jnr-ffi binds them. */
    public interface C {
        @SaveError int open(@In byte[] path, int flags, int mode);

        @SaveError int close(int fd);

        @SaveError long pwrite(int fd, @In byte[] buf, long count, long offset);

        @SaveError int ftruncate(int fd, long length);

        @SaveError int mkdirat(int dirfd, @In byte[] path, int mode);

        @SaveError int symlinkat(@In byte[] target, int dirfd, @In byte[] path);

        @SaveError int linkat(int olddirfd, @In byte[] oldpath, int newdirfd, @In byte[] newpath, int flags);

        @SaveError int fchownat(int dirfd, @In byte[] path, int uid, int gid, int flags);

        @SaveError int fchmodat(int dirfd, @In byte[] path, int mode, int flags);

        @SaveError int utimensat(int dirfd, @In byte[] path, @In long[] times, int flags);

        @SaveError int unlinkat(int dirfd, @In byte[] path, int flags);

        @SaveError int renameat(int olddirfd, @In byte[] oldpath, int newdirfd, @In byte[] newpath);

        @SaveError int kill(int pid, int sig);

        void sync();
    }

    public static final int SIGINT = 2;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGTERM = 15;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;

    private static final C LIBC = LibraryLoader.create(C.class).failImmediately().load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private HostCalls() {
    }

    private static void check(long rc, String call, String path) throws ErrnoException {
        if (rc < 0) {
            throw new ErrnoException(RUNTIME.getLastError(), call, path);
        }
    }

    private static byte[] c(String raw) {
        return Raw.cString(raw);
    }

    public static void mkdir(String path, int mode) throws ErrnoException {
        check(LIBC.mkdirat(Linux.AT_FDCWD, c(path), mode), "mkdir", path);
    }

    public static void symlink(String target, String path) throws ErrnoException {
        check(LIBC.symlinkat(c(target), Linux.AT_FDCWD, c(path)), "symlink", path);
    }

    public static void link(String existing, String path) throws ErrnoException {
        check(LIBC.linkat(Linux.AT_FDCWD, c(existing), Linux.AT_FDCWD, c(path), 0), "link", path);
    }

    /** lchown: never follows a trailing symlink. */
    public static void lchown(String path, int uid, int gid) throws ErrnoException {
        check(LIBC.fchownat(Linux.AT_FDCWD, c(path), uid, gid, Linux.AT_SYMLINK_NOFOLLOW), "lchown", path);
    }

    /** chmod of a path the caller knows is not a symlink (Linux cannot chmod symlinks). */
    public static void chmod(String path, int mode) throws ErrnoException {
        check(LIBC.fchmodat(Linux.AT_FDCWD, c(path), mode, 0), "chmod", path);
    }

    /** Sets atime and mtime, never following a trailing symlink. */
    public static void lutimes(String path, long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec)
            throws ErrnoException {
        long[] times = {atimeSec, atimeNsec, mtimeSec, mtimeNsec};
        check(LIBC.utimensat(Linux.AT_FDCWD, c(path), times, Linux.AT_SYMLINK_NOFOLLOW), "utimensat", path);
    }

    public static void unlink(String path) throws ErrnoException {
        check(LIBC.unlinkat(Linux.AT_FDCWD, c(path), 0), "unlink", path);
    }

    public static void rmdir(String path) throws ErrnoException {
        check(LIBC.unlinkat(Linux.AT_FDCWD, c(path), Linux.AT_REMOVEDIR), "rmdir", path);
    }

    public static void rename(String from, String to) throws ErrnoException {
        check(LIBC.renameat(Linux.AT_FDCWD, c(from), Linux.AT_FDCWD, c(to)), "rename", from);
    }

    /** Creates a new regular file (O_EXCL, O_NOFOLLOW) and returns its descriptor. */
    public static int createFile(String path, int mode) throws ErrnoException {
        int fd = LIBC.open(c(path), Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_NOFOLLOW
                | Linux.O_CLOEXEC, mode);
        check(fd, "open", path);
        return fd;
    }

    /** open(2) of a path, returning the raw descriptor (the caller closes it). */
    public static int open(String path, int flags) throws ErrnoException {
        int fd = LIBC.open(c(path), flags | Linux.O_CLOEXEC, 0);
        check(fd, "open", path);
        return fd;
    }

    public static void pwriteFully(int fd, byte[] data, long offset, String what) throws ErrnoException {
        int done = 0;
        while (done < data.length) {
            byte[] chunk = done == 0 ? data : java.util.Arrays.copyOfRange(data, done, data.length);
            long n = LIBC.pwrite(fd, chunk, chunk.length, offset + done);
            if (n < 0 && RUNTIME.getLastError() == Errno.EINTR) {
                continue;
            }
            check(n, "pwrite", what);
            done += (int) n;
        }
    }

    public static void ftruncate(int fd, long length, String what) throws ErrnoException {
        check(LIBC.ftruncate(fd, length), "ftruncate", what);
    }

    public static void close(int fd) {
        LIBC.close(fd);
    }

    public static void kill(long pid, int signal) throws ErrnoException {
        check(LIBC.kill((int) pid, signal), "kill", "pid " + pid);
    }

    public static void sync() {
        LIBC.sync();
    }
}
