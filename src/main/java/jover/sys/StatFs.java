package jover.sys;

/** The fields of struct statfs that FUSE's STATFS reply carries. */
public record StatFs(long type, long blocks, long bfree, long bavail, long files, long ffree,
                     int bsize, int namelen, int frsize) {
}
