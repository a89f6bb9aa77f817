package jover.fuse.codec;

/** struct fuse_init_in: what the kernel offers. flags2 is only meaningful with INIT_EXT. */
public record InitIn(int major, int minor, int maxReadahead, int flags, int flags2) {
}
