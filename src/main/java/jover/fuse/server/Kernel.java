package jover.fuse.server;

import jover.sys.ErrnoException;
import jover.sys.Fd;

/**
 * What a filesystem may ask of the kernel side of its connection once mounted: passthrough
 * backing files and cache invalidation.
 */
public interface Kernel {
    /** Whether passthrough was negotiated and a probe showed BACKING_OPEN works. */
    boolean passthrough();

    /** Whether FOPEN_DIRECT_IO handles may be mmapped shared (DIRECT_IO_ALLOW_MMAP negotiated). */
    boolean directIoAllowsMmap();

    /**
     * Registers {@code file} (any descriptor, O_PATH included, not a directory) as a passthrough
     * backing file; returns its id for OPEN replies. The descriptor may be closed afterwards.
     * Call it as the daemon, never under a caller's credentials: the kernel keeps the
     * credentials of this call for all I/O on the backing file.
     */
    int backingOpen(Fd file) throws ErrnoException;

    /** Releases a backing id; the kernel keeps the file while open FUSE files still use it. */
    void backingClose(int id);

    /**
     * Tells the kernel to forget its cached entry {@code name} in directory {@code parent}.
     * Never call it from the handler of a request that changes that directory (MKDIR, CREATE,
     * UNLINK, RENAME, LINK...): the kernel holds the directory's lock until the reply, so the
     * notification would deadlock. From OPEN it is safe.
     */
    void invalidateEntry(long parent, String name);

    /** Tells the kernel to forget the cached attributes (not the data) of node {@code nodeid}. */
    void invalidateAttributes(long nodeid);

    /** Tells the kernel to forget the cached attributes and data (for a directory: its listing) of a node. */
    void invalidateData(long nodeid);
}
