package jover.fuse.server;

/** The answer to OPEN or OPENDIR: a file handle, FOPEN_* flags and a passthrough backing id (0: none). */
public record OpenReply(long fh, int openFlags, int backingId) {
}
