package jover.fuse.server;

/**
 * The answer to OPEN, OPENDIR or CREATE: a file handle and how the kernel is to treat the
 * file's data: through its page cache (the default), keeping cached pages from earlier opens,
 * bypassing the cache (direct I/O: one request per read(2)/write(2)), or through a passthrough
 * backing file ({@code backingId} > 0: the kernel does the I/O on the real file itself).
 */
public record OpenReply(long fh, boolean directIo, boolean keepCache, boolean cacheDir, int backingId) {

    /** Data through the page cache, dropped at open. */
    public static OpenReply pageCache(long fh) {
        return new OpenReply(fh, false, false, false, 0);
    }

    /** Data through the page cache, which survives from earlier opens (nothing else changes the file). */
    public static OpenReply keepCache(long fh) {
        return new OpenReply(fh, false, true, false, 0);
    }

    /** Every read and write goes to the filesystem, bypassing the page cache. */
    public static OpenReply directIo(long fh) {
        return new OpenReply(fh, true, false, false, 0);
    }

    /** The kernel reads and writes backing file {@code backingId} itself. */
    public static OpenReply passthrough(long fh, int backingId) {
        if (backingId <= 0) {
            throw new IllegalArgumentException("backing id " + backingId);
        }
        return new OpenReply(fh, false, false, false, backingId);
    }

    /** An open directory whose listing the kernel may cache and keep across opens. */
    public static OpenReply cachedDirectory(long fh) {
        return new OpenReply(fh, false, true, true, 0);
    }
}
