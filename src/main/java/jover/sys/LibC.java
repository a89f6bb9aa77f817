package jover.sys;

import java.nio.ByteBuffer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * The C library functions jover calls, as jnr-ffi binds them. Strings are passed as
 * NUL-terminated byte arrays (see {@link Raw#cString}); only {@link Sys} calls these.
 */
public interface LibC {
    @SaveError int open(@In byte[] path, int flags, int mode);

    @SaveError int openat(int dirfd, @In byte[] path, int flags, int mode);

    @SaveError int close(int fd);

    @SaveError long read(int fd, ByteBuffer buf, long count);

    @SaveError long write(int fd, ByteBuffer buf, long count);

    @SaveError long pread(int fd, ByteBuffer buf, long count, long offset);

    @SaveError int ioctl(int fd, long request, long arg);

    @SaveError int ioctl(int fd, long request, @In int[] arg);

    @SaveError int ioctl(int fd, long request, @In byte[] arg);

    @SaveError long syscall(long number, int a1, @In byte[] a2, @In byte[] a3, long a4);

    @SaveError int statx(int dirfd, @In byte[] path, int flags, int mask, @Out byte[] buf);

    @SaveError long getdents64(int fd, ByteBuffer buf, long count);

    @SaveError long readlinkat(int dirfd, @In byte[] path, @Out byte[] buf, long size);

    @SaveError long fgetxattr(int fd, @In byte[] name, @Out byte[] value, long size);

    @SaveError long lgetxattr(@In byte[] path, @In byte[] name, @Out byte[] value, long size);

    @SaveError long flistxattr(int fd, @Out byte[] list, long size);

    @SaveError long llistxattr(@In byte[] path, @Out byte[] list, long size);

    @SaveError int lsetxattr(@In byte[] path, @In byte[] name, @In byte[] value, long size, int flags);

    @SaveError int lremovexattr(@In byte[] path, @In byte[] name);

    @SaveError int fstatfs(int fd, @Out byte[] buf);

    @SaveError int mknodat(int dirfd, @In byte[] path, int mode, long dev);

    @SaveError int mkdirat(int dirfd, @In byte[] path, int mode);

    @SaveError int symlinkat(@In byte[] target, int dirfd, @In byte[] path);

    @SaveError int linkat(int olddirfd, @In byte[] oldpath, int newdirfd, @In byte[] newpath, int flags);

    @SaveError int unlinkat(int dirfd, @In byte[] path, int flags);

    @SaveError int renameat2(int olddirfd, @In byte[] oldpath, int newdirfd, @In byte[] newpath, int flags);

    @SaveError int fchownat(int dirfd, @In byte[] path, int uid, int gid, int flags);

    @SaveError int fchmod(int fd, int mode);

    @SaveError int fcntl(int fd, int cmd, int arg);

    @SaveError int utimensat(int dirfd, @In byte[] path, @In long[] times, int flags);

    @SaveError int futimens(int fd, @In long[] times);

    @SaveError int ftruncate(int fd, long length);

    @SaveError int fallocate(int fd, int mode, long offset, long len);

    @SaveError long pwrite(int fd, ByteBuffer buf, long count, long offset);

    @SaveError int fsync(int fd);

    @SaveError int fdatasync(int fd);

    @SaveError int syncfs(int fd);

    @SaveError long lseek(int fd, long offset, int whence);

    @SaveError long copy_file_range(int fdIn, long[] offIn, int fdOut, long[] offOut, long len, int flags);

    @SaveError long sendfile(int outFd, int inFd, long[] offset, long count);

    @SaveError int fsetxattr(int fd, @In byte[] name, @In byte[] value, long size, int flags);

    @SaveError int fremovexattr(int fd, @In byte[] name);

    @SaveError long syscall(long number, int a1, @In byte[] a2, byte[] a3, @Out int[] a4, int a5);

    @SaveError long syscall(long number, int a1, @In byte[] a2, int a3);

    @SaveError long syscall(long number, int a1, @In byte[] a2, int a3, int a4);

    @SaveError int mount(@In byte[] source, @In byte[] target, @In byte[] type, long flags, @In byte[] data);

    @SaveError int umount2(@In byte[] target, int flags);

    @SaveError int setsid();

    @SaveError int dup2(int oldfd, int newfd);

    @SaveError int chdir(@In byte[] path);

    int umask(int mask);

    int geteuid();

    int getpid();

    @SaveError int getrlimit(int resource, @Out long[] limits);

    @SaveError int setrlimit(int resource, @In long[] limits);

    String strerror(int errnum);
}
