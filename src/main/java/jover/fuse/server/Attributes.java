package jover.fuse.server;

import jover.sys.Stat;

/**
 * A node's attributes as the kernel is to see them: the real file's attributes ({@code stat}:
 * size, blocks, times, mode, rdev, blksize) with the inode number, link count and owners the
 * filesystem reports in place of the real ones.
 */
public record Attributes(long ino, Stat stat, int nlink, int uid, int gid) {
    private static final Stat NONE = new Stat(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Only an inode number and a file mode (the type bits): what READDIRPLUS gives "." and "..". */
    public static Attributes typeOnly(long ino, int mode) {
        return new Attributes(ino, new Stat(0, mode, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0, 0, 0);
    }

    /** All zero: a negative entry's. */
    static Attributes none() {
        return new Attributes(0, NONE, 0, 0, 0);
    }
}
