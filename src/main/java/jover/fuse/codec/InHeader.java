package jover.fuse.codec;

/** struct fuse_in_header: who asks what about which node. */
public record InHeader(int len, int opcode, long unique, long nodeid, int uid, int gid, int pid,
                       int totalExtlen) {
}
