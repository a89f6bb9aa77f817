package jover.fuse.codec;

/** struct fuse_attr: the attributes jover reports for one node. */
public record Attr(
        long ino, long size, long blocks,
        long atime, long mtime, long ctime, int atimensec, int mtimensec, int ctimensec,
        int mode, int nlink, int uid, int gid, int rdev, int blksize, int flags) {
}
