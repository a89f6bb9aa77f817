package jover.fuse.codec;

/**
 * struct fuse_entry_out: a node id the kernel may cache, with its attributes. Validity times
 * are split into seconds and nanoseconds as the kernel wants them.
 */
public record EntryOut(long nodeid, long generation, long entryValid, int entryValidNsec,
                       long attrValid, int attrValidNsec, Attr attr) {
}
