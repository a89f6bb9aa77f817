package jover.fuse.transport;

import java.nio.ByteBuffer;
import jover.sys.ErrnoException;
import jover.sys.Fd;

/**
 * What the server asks of the kernel outside request and reply: passthrough backing files
 * (ioctls on the connection's descriptor) and notifications (whole messages written to it).
 * Over io_uring too these stay on /dev/fuse (shared/fuse-uring.md).
 */
public interface KernelControl {
    /** FUSE_DEV_IOC_BACKING_OPEN of {@code file}; returns the backing id. */
    int backingOpen(Fd file) throws ErrnoException;

    /** FUSE_DEV_IOC_BACKING_CLOSE. */
    void backingClose(int id) throws ErrnoException;

    /** Writes one notification message: the first {@code len} bytes of {@code message}. */
    void notify(ByteBuffer message, int len) throws ErrnoException;
}
