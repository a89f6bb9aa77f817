package jover.sys;

import static jover.sys.Native.C;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Typed wrappers over the system calls jover makes. Each failure throws {@link ErrnoException}. */
public final class Sys {
    private static final long SYS_OPENAT2 = 437;
    private static final int GETDENTS_BUFFER = 64 * 1024;
    private static final ThreadLocal<ByteBuffer> DENTS = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(GETDENTS_BUFFER).order(ByteOrder.LITTLE_ENDIAN));

    private Sys() {
    }

    static ErrnoException fail(String call, String context) {
        return new ErrnoException(Native.errno(), call, context);
    }

    static int check(int rc, String call, String context) throws ErrnoException {
        if (rc < 0) {
            throw fail(call, context);
        }
        return rc;
    }

    static long check(long rc, String call, String context) throws ErrnoException {
        if (rc < 0) {
            throw fail(call, context);
        }
        return rc;
    }

    // ---- opening ----

    /** open(2) of a host path: for /dev/fuse, layer roots and mount points, never inside a layer. */
    public static Fd open(String path, int flags) throws ErrnoException {
        return new Fd(check(C.open(Raw.cString(path), flags | Linux.O_CLOEXEC, 0), "open", path));
    }

    /**
     * openat2 below {@code dir} with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS:
     * no symlink is followed anywhere on the path and nothing outside {@code dir} is reached.
     * With O_PATH | O_NOFOLLOW a trailing symlink is opened itself.
     */
    public static Fd openBeneath(Fd dir, String relPath, int flags) throws ErrnoException {
        byte[] how = new byte[24];
        ByteBuffer b = ByteBuffer.wrap(how).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, (flags | Linux.O_CLOEXEC) & 0xffffffffL);
        b.putLong(8, 0);
        b.putLong(16, Linux.RESOLVE_BENEATH | Linux.RESOLVE_NO_SYMLINKS | Linux.RESOLVE_NO_MAGICLINKS);
        String p = relPath.isEmpty() ? "." : relPath;
        long fd = C.syscall(SYS_OPENAT2, dir.get(), Raw.cString(p), how, 24);
        return new Fd((int) check(fd, "openat2", p));
    }

    /** openat(2) of one name in {@code dir}; callers add O_NOFOLLOW where the name is in a layer. */
    public static Fd openAt(Fd dir, String name, int flags, int mode) throws ErrnoException {
        return new Fd(check(C.openat(dir.get(), Raw.cString(name), flags | Linux.O_CLOEXEC, mode), "openat", name));
    }

    // ---- attributes ----

    /** statx of {@code name} in {@code dir}, not following a trailing symlink. */
    public static Stat statAt(Fd dir, String name) throws ErrnoException {
        byte[] buf = new byte[Stat.STATX_SIZE];
        check(C.statx(dir.get(), Raw.cString(name), Linux.AT_SYMLINK_NOFOLLOW, Stat.STATX_BASIC_STATS, buf),
                "statx", name);
        return Stat.decode(buf);
    }

    /** statx of an open file. */
    public static Stat stat(Fd fd) throws ErrnoException {
        byte[] buf = new byte[Stat.STATX_SIZE];
        check(C.statx(fd.get(), new byte[] {0}, Linux.AT_EMPTY_PATH | Linux.AT_SYMLINK_NOFOLLOW,
                Stat.STATX_BASIC_STATS, buf), "statx", "fd " + fd.get());
        return Stat.decode(buf);
    }

    /** lstat of a host path (for tests and checks at mount time). */
    public static Stat lstat(String path) throws ErrnoException {
        byte[] buf = new byte[Stat.STATX_SIZE];
        check(C.statx(Linux.AT_FDCWD, Raw.cString(path), Linux.AT_SYMLINK_NOFOLLOW, Stat.STATX_BASIC_STATS, buf),
                "statx", path);
        return Stat.decode(buf);
    }

    public static StatFs statfs(Fd fd) throws ErrnoException {
        byte[] buf = new byte[120];
        check(C.fstatfs(fd.get(), buf), "fstatfs", "fd " + fd.get());
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        return new StatFs(b.getLong(0), b.getLong(16), b.getLong(24), b.getLong(32), b.getLong(40),
                b.getLong(48), (int) b.getLong(8), (int) b.getLong(64), (int) b.getLong(72));
    }

    /** The target of the symlink {@code name} in {@code dir}, as a raw string. */
    public static String readlinkAt(Fd dir, String name) throws ErrnoException {
        byte[] buf = new byte[4096];
        long n = check(C.readlinkat(dir.get(), Raw.cString(name), buf, buf.length), "readlinkat", name);
        return Raw.of(buf, 0, (int) n);
    }

    // ---- directories ----

    /** Every record of an open directory, "." and ".." included, read from its current position. */
    public static List<DirEntry> readDir(Fd dir) throws ErrnoException {
        ByteBuffer buf = DENTS.get();
        List<DirEntry> out = new ArrayList<>();
        byte[] name = new byte[256];
        while (true) {
            buf.clear();
            long n = check(C.getdents64(dir.get(), buf, buf.capacity()), "getdents64", "fd " + dir.get());
            if (n == 0) {
                return out;
            }
            int pos = 0;
            while (pos < n) {
                long ino = buf.getLong(pos);
                int reclen = buf.getShort(pos + 16) & 0xffff;
                int type = buf.get(pos + 18) & 0xff;
                int len = 0;
                while (buf.get(pos + 19 + len) != 0) {
                    name[len] = buf.get(pos + 19 + len);
                    len++;
                }
                out.add(new DirEntry(Raw.of(name, 0, len), ino, type));
                pos += reclen;
            }
        }
    }

    /** The records of the directory at a host path (tests and tools; not for layer contents). */
    public static List<DirEntry> listDir(String path) throws ErrnoException {
        try (Fd fd = open(path, Linux.O_RDONLY | Linux.O_DIRECTORY)) {
            return readDir(fd);
        }
    }

    // ---- extended attributes ----

    /** Path through which the no-follow l*xattr calls reach {@code name} inside an open directory. */
    private static byte[] procPath(Fd dir, String name) {
        return Raw.cString("/proc/self/fd/" + dir.get() + "/" + name);
    }

    /** The value of xattr {@code xname} of an open file (not O_PATH). */
    public static byte[] fgetxattr(Fd fd, String xname) throws ErrnoException {
        byte[] cname = Raw.cString(xname);
        while (true) {
            long size = check(C.fgetxattr(fd.get(), cname, null, 0), "fgetxattr", xname);
            byte[] value = new byte[(int) size];
            long n = C.fgetxattr(fd.get(), cname, value, value.length);
            if (n >= 0) {
                return n == value.length ? value : java.util.Arrays.copyOf(value, (int) n);
            }
            if (Native.errno() != Errno.ERANGE) {
                throw fail("fgetxattr", xname);
            }
        }
    }

    /** The value of xattr {@code xname} of {@code name} in {@code dir}, not following symlinks. */
    public static byte[] getxattrAt(Fd dir, String name, String xname) throws ErrnoException {
        byte[] path = procPath(dir, name);
        byte[] cname = Raw.cString(xname);
        while (true) {
            long size = check(C.lgetxattr(path, cname, null, 0), "lgetxattr", name + " " + xname);
            byte[] value = new byte[(int) size];
            long n = C.lgetxattr(path, cname, value, value.length);
            if (n >= 0) {
                return n == value.length ? value : java.util.Arrays.copyOf(value, (int) n);
            }
            if (Native.errno() != Errno.ERANGE) {
                throw fail("lgetxattr", name + " " + xname);
            }
        }
    }

    /** The xattr names of an open file (not O_PATH), as raw strings. */
    public static List<String> flistxattr(Fd fd) throws ErrnoException {
        while (true) {
            long size = check(C.flistxattr(fd.get(), null, 0), "flistxattr", "fd " + fd.get());
            byte[] list = new byte[(int) size];
            long n = C.flistxattr(fd.get(), list, list.length);
            if (n >= 0) {
                return splitNames(list, (int) n);
            }
            if (Native.errno() != Errno.ERANGE) {
                throw fail("flistxattr", "fd " + fd.get());
            }
        }
    }

    /** The xattr names of {@code name} in {@code dir}, not following symlinks. */
    public static List<String> listxattrAt(Fd dir, String name) throws ErrnoException {
        byte[] path = procPath(dir, name);
        while (true) {
            long size = check(C.llistxattr(path, null, 0), "llistxattr", name);
            byte[] list = new byte[(int) size];
            long n = C.llistxattr(path, list, list.length);
            if (n >= 0) {
                return splitNames(list, (int) n);
            }
            if (Native.errno() != Errno.ERANGE) {
                throw fail("llistxattr", name);
            }
        }
    }

    private static List<String> splitNames(byte[] list, int len) {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < len; i++) {
            if (list[i] == 0) {
                if (i > start) {
                    names.add(Raw.of(list, start, i - start));
                }
                start = i + 1;
            }
        }
        return names;
    }

    /** lsetxattr on a host path (tests and tools). */
    public static void lsetxattr(String path, String xname, byte[] value, int flags) throws ErrnoException {
        check(C.lsetxattr(Raw.cString(path), Raw.cString(xname), value, value.length, flags), "lsetxattr",
                path + " " + xname);
    }

    /** lremovexattr on a host path (tests and tools). */
    public static void lremovexattr(String path, String xname) throws ErrnoException {
        check(C.lremovexattr(Raw.cString(path), Raw.cString(xname)), "lremovexattr", path + " " + xname);
    }

    /** lgetxattr on a host path (tests and tools). */
    public static byte[] lgetxattr(String path, String xname) throws ErrnoException {
        try (Fd dir = open("/", Linux.O_PATH | Linux.O_DIRECTORY)) {
            return getxattrAt(dir, path.startsWith("/") ? path.substring(1) : path, xname);
        }
    }

    /** llistxattr on a host path (tests and tools). */
    public static List<String> llistxattr(String path) throws ErrnoException {
        try (Fd dir = open("/", Linux.O_PATH | Linux.O_DIRECTORY)) {
            return listxattrAt(dir, path.startsWith("/") ? path.substring(1) : path);
        }
    }

    // ---- creating (tests and tools now; the write path later) ----

    /** mknod of a host path; {@code mode} includes the file type. */
    public static void mknod(String path, int mode, int major, int minor) throws ErrnoException {
        check(C.mknodat(Linux.AT_FDCWD, Raw.cString(path), mode, Stat.makedev(major, minor)), "mknod", path);
    }

    // ---- changing files (fd-relative: the caller passes a layer directory and one name) ----

    private static final long SYS_NAME_TO_HANDLE_AT = 303;
    private static final long SYS_OPEN_BY_HANDLE_AT = 304;
    private static final long SYS_FCHMODAT2 = 452;
    private static final long FICLONE = 0x40049409L;
    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;

    public static void mkdirAt(Fd dir, String name, int mode) throws ErrnoException {
        check(C.mkdirat(dir.get(), Raw.cString(name), mode), "mkdirat", name);
    }

    /** mknodat; {@code mode} includes the file type; {@code rdev} in glibc's makedev form. */
    public static void mknodAt(Fd dir, String name, int mode, long rdev) throws ErrnoException {
        check(C.mknodat(dir.get(), Raw.cString(name), mode, rdev), "mknodat", name);
    }

    public static void symlinkAt(String target, Fd dir, String name) throws ErrnoException {
        check(C.symlinkat(Raw.cString(target), dir.get(), Raw.cString(name)), "symlinkat", name);
    }

    /** linkat without following a symlink as the source. */
    public static void linkAt(Fd oldDir, String oldName, Fd newDir, String newName) throws ErrnoException {
        check(C.linkat(oldDir.get(), Raw.cString(oldName), newDir.get(), Raw.cString(newName), 0), "linkat",
                newName);
    }

    /** linkat of an open file (O_TMPFILE) into a directory, through AT_EMPTY_PATH. */
    public static void linkFd(Fd file, Fd newDir, String newName) throws ErrnoException {
        check(C.linkat(file.get(), new byte[] {0}, newDir.get(), Raw.cString(newName), Linux.AT_EMPTY_PATH),
                "linkat", newName);
    }

    public static void unlinkAt(Fd dir, String name, int flags) throws ErrnoException {
        check(C.unlinkat(dir.get(), Raw.cString(name), flags), "unlinkat", name);
    }

    public static void renameAt(Fd oldDir, String oldName, Fd newDir, String newName, int flags)
            throws ErrnoException {
        check(C.renameat2(oldDir.get(), Raw.cString(oldName), newDir.get(), Raw.cString(newName), flags),
                "renameat2", oldName + " -> " + newName);
    }

    /** lchown of {@code name} in {@code dir}; -1 leaves an id unchanged. */
    public static void chownAt(Fd dir, String name, int uid, int gid) throws ErrnoException {
        check(C.fchownat(dir.get(), Raw.cString(name), uid, gid, Linux.AT_SYMLINK_NOFOLLOW), "fchownat", name);
    }

    /** chmod of {@code name} in {@code dir} without following a symlink (EOPNOTSUPP on one). */
    public static void chmodAt(Fd dir, String name, int mode) throws ErrnoException {
        check(C.syscall(SYS_FCHMODAT2, dir.get(), Raw.cString(name), mode, Linux.AT_SYMLINK_NOFOLLOW),
                "fchmodat2", name);
    }

    /** A second descriptor for the same open file (close-on-exec). */
    public static Fd dup(Fd fd) throws ErrnoException {
        final int fDupfdCloexec = 1030;
        return new Fd(check(C.fcntl(fd.get(), fDupfdCloexec, 0), "fcntl(F_DUPFD_CLOEXEC)", "fd " + fd.get()));
    }

    /** chown of an open file (including an O_TMPFILE one) through AT_EMPTY_PATH. */
    public static void fchown(Fd fd, int uid, int gid) throws ErrnoException {
        check(C.fchownat(fd.get(), new byte[] {0}, uid, gid, Linux.AT_EMPTY_PATH), "fchownat", "fd " + fd.get());
    }

    public static void fchmod(Fd fd, int mode) throws ErrnoException {
        check(C.fchmod(fd.get(), mode), "fchmod", "fd " + fd.get());
    }

    /**
     * utimensat without following a symlink. Times are seconds and nanoseconds; a nanosecond
     * value of {@link #UTIME_NOW} or {@link #UTIME_OMIT} means now / leave unchanged.
     */
    public static void utimensAt(Fd dir, String name, long atime, long atimeNsec, long mtime, long mtimeNsec)
            throws ErrnoException {
        long[] times = {atime, atimeNsec, mtime, mtimeNsec};
        check(C.utimensat(dir.get(), Raw.cString(name), times, Linux.AT_SYMLINK_NOFOLLOW), "utimensat", name);
    }

    /** utimensat of an open file; the same time conventions as {@link #utimensAt}. */
    public static void futimens(Fd fd, long atime, long atimeNsec, long mtime, long mtimeNsec) throws ErrnoException {
        long[] times = {atime, atimeNsec, mtime, mtimeNsec};
        check(C.futimens(fd.get(), times), "futimens", "fd " + fd.get());
    }

    public static void ftruncate(Fd fd, long length) throws ErrnoException {
        check(C.ftruncate(fd.get(), length), "ftruncate", "fd " + fd.get());
    }

    public static void fallocate(Fd fd, int mode, long offset, long len) throws ErrnoException {
        check(C.fallocate(fd.get(), mode, offset, len), "fallocate", "fd " + fd.get());
    }

    /** pwrite(2) of {@code len} bytes from {@code buf} at its position 0; returns the count. */
    public static int pwrite(Fd fd, ByteBuffer buf, int len, long offset) throws ErrnoException {
        return (int) check(C.pwrite(fd.get(), buf, len, offset), "pwrite", "fd " + fd.get());
    }

    public static void fsync(Fd fd, boolean dataOnly) throws ErrnoException {
        check(dataOnly ? C.fdatasync(fd.get()) : C.fsync(fd.get()), "fsync", "fd " + fd.get());
    }

    public static void syncfs(Fd fd) throws ErrnoException {
        check(C.syncfs(fd.get()), "syncfs", "fd " + fd.get());
    }

    /** lseek(2); with SEEK_DATA/SEEK_HOLE ENXIO means no more data. */
    public static long lseek(Fd fd, long offset, int whence) throws ErrnoException {
        return check(C.lseek(fd.get(), offset, whence), "lseek", "fd " + fd.get());
    }

    /** copy_file_range(2) between explicit offsets; returns the bytes copied (0 at end of input). */
    public static long copyFileRange(Fd in, long inOffset, Fd out, long outOffset, long len) throws ErrnoException {
        long[] offIn = {inOffset};
        long[] offOut = {outOffset};
        return check(C.copy_file_range(in.get(), offIn, out.get(), offOut, len, 0), "copy_file_range",
                "fd " + in.get());
    }

    /** sendfile(2) from {@code in} at {@code inOffset} to {@code out} at its current position. */
    public static long sendfile(Fd out, Fd in, long inOffset, long count) throws ErrnoException {
        long[] off = {inOffset};
        return check(C.sendfile(out.get(), in.get(), off, count), "sendfile", "fd " + in.get());
    }

    /** FICLONE: makes {@code dst} share {@code src}'s data (reflink); EOPNOTSUPP where unsupported. */
    public static void ficlone(Fd dst, Fd src) throws ErrnoException {
        check(C.ioctl(dst.get(), FICLONE, (long) src.get()), "ioctl(FICLONE)", "fd " + dst.get());
    }

    public static void fsetxattr(Fd fd, String xname, byte[] value, int flags) throws ErrnoException {
        check(C.fsetxattr(fd.get(), Raw.cString(xname), value, value.length, flags), "fsetxattr", xname);
    }

    public static void fremovexattr(Fd fd, String xname) throws ErrnoException {
        check(C.fremovexattr(fd.get(), Raw.cString(xname)), "fremovexattr", xname);
    }

    /** lsetxattr on {@code name} in {@code dir}, not following symlinks. */
    public static void setxattrAt(Fd dir, String name, String xname, byte[] value, int flags) throws ErrnoException {
        check(C.lsetxattr(procPath(dir, name), Raw.cString(xname), value, value.length, flags), "lsetxattr",
                name + " " + xname);
    }

    /** lremovexattr on {@code name} in {@code dir}, not following symlinks. */
    public static void removexattrAt(Fd dir, String name, String xname) throws ErrnoException {
        check(C.lremovexattr(procPath(dir, name), Raw.cString(xname)), "lremovexattr", name + " " + xname);
    }

    /** The file handle of {@code name} in {@code dir} (not following a symlink). */
    public static FileHandle nameToHandleAt(Fd dir, String name) throws ErrnoException {
        byte[] handle = new byte[8 + 128];
        ByteBuffer.wrap(handle).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 128);
        int[] mountId = new int[1];
        check(C.syscall(SYS_NAME_TO_HANDLE_AT, dir.get(), Raw.cString(name), handle, mountId, 0),
                "name_to_handle_at", name);
        ByteBuffer b = ByteBuffer.wrap(handle).order(ByteOrder.LITTLE_ENDIAN);
        int len = b.getInt(0);
        return new FileHandle(b.getInt(4), java.util.Arrays.copyOfRange(handle, 8, 8 + len));
    }

    /** Opens the file a handle names, on the filesystem of {@code mountFd} (O_PATH is enough to stat it). */
    public static Fd openByHandle(Fd mountFd, FileHandle h, int flags) throws ErrnoException {
        byte[] handle = new byte[8 + h.bytes().length];
        ByteBuffer b = ByteBuffer.wrap(handle).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, h.bytes().length).putInt(4, h.type());
        System.arraycopy(h.bytes(), 0, handle, 8, h.bytes().length);
        long fd = C.syscall(SYS_OPEN_BY_HANDLE_AT, mountFd.get(), handle, flags | Linux.O_CLOEXEC);
        return new Fd((int) check(fd, "open_by_handle_at", "type " + h.type()));
    }

    // ---- mounting ----

    public static void mount(String source, String target, String type, long flags, String data)
            throws ErrnoException {
        check(C.mount(Raw.cString(source), Raw.cString(target), Raw.cString(type), flags, Raw.cString(data)),
                "mount", target);
    }

    public static void umount(String target, int flags) throws ErrnoException {
        check(C.umount2(Raw.cString(target), flags), "umount2", target);
    }

    // ---- raw descriptors (/dev/fuse) ----

    /** read(2) into {@code buf} from its position 0; returns the byte count. */
    public static int read(Fd fd, ByteBuffer buf) throws ErrnoException {
        return (int) check(C.read(fd.get(), buf, buf.capacity()), "read", "fd " + fd.get());
    }

    /** write(2) of the first {@code len} bytes of {@code buf}. */
    public static int write(Fd fd, ByteBuffer buf, int len) throws ErrnoException {
        return (int) check(C.write(fd.get(), buf, len), "write", "fd " + fd.get());
    }

    /** pread(2) of up to {@code len} bytes into {@code buf} at its position 0. */
    public static int pread(Fd fd, ByteBuffer buf, int len, long offset) throws ErrnoException {
        return (int) check(C.pread(fd.get(), buf, len, offset), "pread", "fd " + fd.get());
    }

    /** ioctl with no argument. */
    public static int ioctl(Fd fd, long request) throws ErrnoException {
        return check(C.ioctl(fd.get(), request, 0L), "ioctl", Long.toHexString(request));
    }

    /** ioctl whose argument points at one 32-bit integer. */
    public static int ioctl(Fd fd, long request, int value) throws ErrnoException {
        return check(C.ioctl(fd.get(), request, new int[] {value}), "ioctl", Long.toHexString(request));
    }

    /** ioctl whose argument points at a struct given as bytes. */
    public static int ioctl(Fd fd, long request, byte[] struct) throws ErrnoException {
        return check(C.ioctl(fd.get(), request, struct), "ioctl", Long.toHexString(request));
    }
}
