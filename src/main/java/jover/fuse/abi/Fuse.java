package jover.fuse.abi;

/** FUSE protocol constants: versions, INIT flags, open flags, setattr bits, struct sizes. */
public final class Fuse {
    private Fuse() {
    }

    public static final int KERNEL_VERSION = 7;
    public static final int KERNEL_MINOR_VERSION = 45;
    public static final long ROOT_ID = 1;

    // INIT flags (fuse_init_in/out.flags); flags2 bits are listed below as FLAGS2_*.
    public static final int INIT_ASYNC_READ = 1 << 0;
    public static final int INIT_POSIX_LOCKS = 1 << 1;
    public static final int INIT_ATOMIC_O_TRUNC = 1 << 3;
    public static final int INIT_EXPORT_SUPPORT = 1 << 4;
    public static final int INIT_BIG_WRITES = 1 << 5;
    public static final int INIT_DONT_MASK = 1 << 6;
    public static final int INIT_FLOCK_LOCKS = 1 << 10;
    public static final int INIT_AUTO_INVAL_DATA = 1 << 12;
    public static final int INIT_DO_READDIRPLUS = 1 << 13;
    public static final int INIT_READDIRPLUS_AUTO = 1 << 14;
    public static final int INIT_ASYNC_DIO = 1 << 15;
    public static final int INIT_WRITEBACK_CACHE = 1 << 16;
    public static final int INIT_PARALLEL_DIROPS = 1 << 18;
    public static final int INIT_HANDLE_KILLPRIV = 1 << 19;
    public static final int INIT_POSIX_ACL = 1 << 20;
    public static final int INIT_MAX_PAGES = 1 << 22;
    public static final int INIT_CACHE_SYMLINKS = 1 << 23;
    public static final int INIT_NO_OPENDIR_SUPPORT = 1 << 24;
    public static final int INIT_HANDLE_KILLPRIV_V2 = 1 << 28;
    public static final int INIT_SETXATTR_EXT = 1 << 29;
    public static final int INIT_INIT_EXT = 1 << 30;
    public static final int FLAGS2_DIRECT_IO_ALLOW_MMAP = 1 << 4;
    public static final int FLAGS2_PASSTHROUGH = 1 << 5;

    // fuse_open_out.open_flags
    public static final int FOPEN_DIRECT_IO = 1 << 0;
    public static final int FOPEN_KEEP_CACHE = 1 << 1;
    public static final int FOPEN_NONSEEKABLE = 1 << 2;
    public static final int FOPEN_CACHE_DIR = 1 << 3;
    public static final int FOPEN_STREAM = 1 << 4;
    public static final int FOPEN_NOFLUSH = 1 << 5;
    public static final int FOPEN_PARALLEL_DIRECT_WRITES = 1 << 6;
    public static final int FOPEN_PASSTHROUGH = 1 << 7;

    // fuse_setattr_in.valid
    public static final int FATTR_MODE = 1 << 0;
    public static final int FATTR_UID = 1 << 1;
    public static final int FATTR_GID = 1 << 2;
    public static final int FATTR_SIZE = 1 << 3;
    public static final int FATTR_ATIME = 1 << 4;
    public static final int FATTR_MTIME = 1 << 5;
    public static final int FATTR_FH = 1 << 6;
    public static final int FATTR_ATIME_NOW = 1 << 7;
    public static final int FATTR_MTIME_NOW = 1 << 8;
    public static final int FATTR_LOCKOWNER = 1 << 9;
    public static final int FATTR_CTIME = 1 << 10;
    public static final int FATTR_KILL_SUIDGID = 1 << 11;

    public static final int GETATTR_FH = 1;
    public static final int RELEASE_FLUSH = 1;

    // Notification codes (written with unique 0 and error = code)
    public static final int NOTIFY_INVAL_INODE = 2;
    public static final int NOTIFY_INVAL_ENTRY = 3;
    public static final int NOTIFY_DELETE = 6;

    // ioctls on the /dev/fuse descriptor
    public static final long DEV_IOC_CLONE = 0x8004E500L;
    public static final long DEV_IOC_BACKING_OPEN = 0x4010E501L;
    public static final long DEV_IOC_BACKING_CLOSE = 0x4004E502L;
    public static final long DEV_IOC_SYNC_INIT = 0xE503L;

    // struct sizes (bytes), pinned by tests against shared/fuse-protocol.md
    public static final int IN_HEADER_SIZE = 40;
    public static final int OUT_HEADER_SIZE = 16;
    public static final int INIT_IN_SIZE = 64;
    public static final int INIT_OUT_SIZE = 64;
    public static final int ATTR_SIZE = 88;
    public static final int ENTRY_OUT_SIZE = 128;
    public static final int ATTR_OUT_SIZE = 104;
    public static final int OPEN_OUT_SIZE = 16;
    public static final int DIRENT_SIZE = 24;
    public static final int DIRENTPLUS_SIZE = 152;
    public static final int KSTATFS_SIZE = 80;
    public static final int GETXATTR_OUT_SIZE = 8;
    public static final int WRITE_IN_SIZE = 40;
    public static final int WRITE_OUT_SIZE = 8;
    /** fuse_write_in.write_flags: the writer lacks CAP_FSETID, clear set-id bits (sent on direct writes). */
    public static final int WRITE_KILL_SUIDGID = 1 << 2;
    public static final int LSEEK_OUT_SIZE = 8;

    /** Smallest read buffer the kernel accepts on /dev/fuse (smaller reads get EINVAL). */
    public static final int MIN_READ_BUFFER = 8192;
}
