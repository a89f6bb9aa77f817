package jover.sys;

/** Flag and mode values of the Linux x86_64 ABI (see shared/linux-constants.md). */
public final class Linux {
    private Linux() {
    }

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_ACCMODE = 03;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DIRECT = 040000;
    /** The kernel's value: present in the open flags FUSE sends even though glibc's is 0. */
    public static final int O_LARGEFILE = 0100000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_NOATIME = 01000000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EMPTY_PATH = 0x1000;

    public static final long RESOLVE_NO_XDEV = 0x1;
    public static final long RESOLVE_NO_MAGICLINKS = 0x2;
    public static final long RESOLVE_NO_SYMLINKS = 0x4;
    public static final long RESOLVE_BENEATH = 0x8;

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 060000;
    public static final int S_IFDIR = 040000;
    public static final int S_IFCHR = 020000;
    public static final int S_IFIFO = 010000;

    public static final long MS_RDONLY = 0x1;
    public static final long MS_NOSUID = 0x2;
    public static final long MS_NODEV = 0x4;
    public static final long MS_NOEXEC = 0x8;
    public static final long MS_NOATIME = 0x400;

    public static final int MNT_FORCE = 0x1;
    public static final int MNT_DETACH = 0x2;
    public static final int UMOUNT_NOFOLLOW = 0x8;

    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;
    public static final int RENAME_WHITEOUT = 4;

    public static final int O_TMPFILE = 020200000;

    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int S_IXGRP = 00010;

    public static final int XATTR_CREATE = 1;
    public static final int XATTR_REPLACE = 2;

    public static final int R_OK = 4;
    public static final int W_OK = 2;
    public static final int X_OK = 1;

    public static final int RLIMIT_NOFILE = 7;

    public static boolean isDir(int mode) {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public static boolean isReg(int mode) {
        return (mode & S_IFMT) == S_IFREG;
    }

    public static boolean isLink(int mode) {
        return (mode & S_IFMT) == S_IFLNK;
    }

    public static boolean isChr(int mode) {
        return (mode & S_IFMT) == S_IFCHR;
    }

    /** The d_type of a getdents record for this st_mode. */
    public static int dtype(int mode) {
        return (mode & S_IFMT) >>> 12;
    }
}
