package jover.fuse.transport;

import java.nio.ByteBuffer;
import jover.fuse.codec.RequestBytes;
import jover.sys.ErrnoException;

/**
 * One request received and the room for its reply: the request's bytes (see
 * {@link RequestBytes}) and a buffer for the reply body, whose index 0 is the first byte after
 * the out header. The reply body may share memory with the request's payload (io_uring): read
 * the request before writing the reply.
 */
public interface Exchange {
    RequestBytes request();

    /** Where the reply body goes, from index 0; its capacity is the largest body the transport takes. */
    ByteBuffer replyBody();

    /**
     * Sends the reply: an out header for request {@code unique} with {@code error} (0 or a
     * negative errno) and the first {@code bodyLength} bytes of {@link #replyBody} (none with an
     * error).
     */
    void reply(long unique, int error, int bodyLength) throws ErrnoException;
}
