package jover.fuse.server;

/** Who made a request: the header's uid, gid and pid (no supplementary groups). */
public record Caller(int uid, int gid, int pid) {
}
