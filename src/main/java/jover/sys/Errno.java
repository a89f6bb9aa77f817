package jover.sys;

/** Linux errno values used by jover (x86_64 numbering) and their names. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int EMLINK = 31;
    public static final int ERANGE = 34;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int ENODATA = 61;
    public static final int EOVERFLOW = 75;
    public static final int EOPNOTSUPP = 95;
    public static final int EPROTO = 71;
    public static final int ENOTCONN = 107;
    public static final int ESTALE = 116;

    private Errno() {
    }

    /** Errnos that are ordinary answers rather than faults: no stack trace is captured for them. */
    static boolean isExpected(int errno) {
        switch (errno) {
            case ENOENT: case ENODATA: case EEXIST: case ENOTEMPTY: case ENOTDIR: case EISDIR:
            case EINTR: case EAGAIN: case ELOOP: case ERANGE: case EACCES: case EPERM: case EXDEV:
            case EROFS: case ENODEV: case EOPNOTSUPP: case ENOTTY: case ESTALE: case EINVAL:
                return true;
            default:
                return false;
        }
    }

    private static final String[] NAMES = new String[256];

    static {
        for (java.lang.reflect.Field f : Errno.class.getFields()) {
            try {
                if (f.getType() == int.class) {
                    NAMES[f.getInt(null)] = f.getName();
                }
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The symbolic name of an errno, e.g. "ENOENT", or "errno N" for one not listed here. */
    public static String name(int errno) {
        String n = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        return n != null ? n : "errno " + errno;
    }

    /** The name and the C library's text, e.g. "ENOENT (No such file or directory)". */
    public static String describe(int errno) {
        return name(errno) + " (" + Native.strerror(errno) + ")";
    }
}
