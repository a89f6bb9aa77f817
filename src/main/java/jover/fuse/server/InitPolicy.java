package jover.fuse.server;

import jover.fuse.abi.Fuse;
import jover.fuse.codec.InitIn;
import jover.fuse.codec.InitOut;

/**
 * Decides the INIT reply from what the kernel offers. Lock support is deliberately not
 * negotiated: the kernel then keeps POSIX and flock locks locally, which is right for a mount
 * that sees every access. WRITEBACK_CACHE is never asked for (it would rule out passthrough).
 */
public final class InitPolicy {
    /** Largest WRITE the kernel may send, and so the size of each worker's request buffer. */
    public static final int MAX_WRITE = 1 << 20;
    public static final int MAX_PAGES = MAX_WRITE / 4096;

    // ATOMIC_O_TRUNC: O_TRUNC arrives with OPEN (not as a later SETATTR), so a lower file opened
    // O_RDONLY|O_TRUNC is copied up before its passthrough backing file is chosen.
    static final int WANTED = Fuse.INIT_ASYNC_READ | Fuse.INIT_ATOMIC_O_TRUNC | Fuse.INIT_BIG_WRITES | Fuse.INIT_DO_READDIRPLUS
            | Fuse.INIT_READDIRPLUS_AUTO | Fuse.INIT_ASYNC_DIO | Fuse.INIT_PARALLEL_DIROPS
            | Fuse.INIT_MAX_PAGES | Fuse.INIT_CACHE_SYMLINKS | Fuse.INIT_INIT_EXT;

    /** Never negotiated, whatever a filesystem asks: see the class comment. */
    static final int NEVER = Fuse.INIT_WRITEBACK_CACHE | Fuse.INIT_POSIX_LOCKS | Fuse.INIT_FLOCK_LOCKS;

    private InitPolicy() {
    }

    /**
     * The reply to {@code in}, or null when the kernel's major version is older than 7.
     * {@code passthrough} asks for FUSE_PASSTHROUGH (flags2, read only with INIT_EXT) with a
     * backing stack depth of 1; the kernel enables it only when it offers it too.
     * DIRECT_IO_ALLOW_MMAP (flags2) is always asked for.
     */
    public static InitOut reply(InitIn in, int extraFlags, boolean passthrough) {
        if (in.major() < Fuse.KERNEL_VERSION) {
            return null;
        }
        if (in.major() > Fuse.KERNEL_VERSION) {
            // Tell the kernel our major; it answers with a new INIT at that version.
            return new InitOut(Fuse.KERNEL_VERSION, Fuse.KERNEL_MINOR_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        int minor = Math.min(in.minor(), Fuse.KERNEL_MINOR_VERSION);
        int flags = (WANTED | extraFlags) & in.flags() & ~NEVER;
        boolean ext = (flags & Fuse.INIT_INIT_EXT) != 0;
        // DIRECT_IO_ALLOW_MMAP: FOPEN_DIRECT_IO handles may still be mmapped (shared), coherently
        int wanted2 = Fuse.FLAGS2_DIRECT_IO_ALLOW_MMAP | (passthrough ? Fuse.FLAGS2_PASSTHROUGH : 0);
        int flags2 = ext ? in.flags2() & wanted2 : 0;
        int stackDepth = (flags2 & Fuse.FLAGS2_PASSTHROUGH) != 0 ? 1 : 0;
        return new InitOut(Fuse.KERNEL_VERSION, minor, in.maxReadahead(), flags, 64, 48, MAX_WRITE, 1,
                MAX_PAGES, flags2, stackDepth);
    }
}
