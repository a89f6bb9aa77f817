package jover.fuse.codec;

/** struct fuse_init_out: what jover accepts. */
public record InitOut(int major, int minor, int maxReadahead, int flags, int maxBackground,
                      int congestionThreshold, int maxWrite, int timeGran, int maxPages, int flags2,
                      int maxStackDepth) {
}
