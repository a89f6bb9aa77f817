package jover.fuse.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jover.fuse.abi.Fuse;
import jover.fuse.codec.Encoder;
import jover.fuse.codec.RequestBytes;
import jover.sys.Errno;
import jover.sys.ErrnoException;

/**
 * A {@link Transport} over one /dev/fuse descriptor: each read(2) returns one whole request
 * into the worker's request buffer, each write(2) sends one whole reply from its reply buffer.
 * One exchange, reused: buffers are allocated once per worker.
 */
public final class StreamTransport implements Transport, Exchange {
    /** The longest string a request carries: a symlink target of PATH_MAX bytes. */
    private static final int MAX_STRING = 4096;

    private final FuseChannel channel;
    private final ByteBuffer in;
    private final ByteBuffer out;
    private final ByteBuffer body;
    private final RequestBytes request = new RequestBytes(MAX_STRING);

    /** @param maxWrite the largest WRITE (and READ reply) negotiated at INIT */
    public StreamTransport(FuseChannel channel, int maxWrite) {
        this.channel = channel;
        int inSize = Math.max(Fuse.MIN_READ_BUFFER, Fuse.IN_HEADER_SIZE + Fuse.WRITE_IN_SIZE + maxWrite);
        this.in = ByteBuffer.allocateDirect(inSize).order(ByteOrder.LITTLE_ENDIAN);
        this.out = ByteBuffer.allocateDirect(Fuse.OUT_HEADER_SIZE + maxWrite + 4096).order(ByteOrder.LITTLE_ENDIAN);
        this.body = out.slice(Fuse.OUT_HEADER_SIZE, out.capacity() - Fuse.OUT_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public Exchange receive() throws ErrnoException {
        while (true) {
            int n;
            try {
                n = channel.read(in);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EINTR || e.errno() == Errno.EAGAIN || e.errno() == Errno.ENOENT) {
                    continue; // interrupted, or the request was aborted before we got it
                }
                throw e;
            }
            request.contiguous(in, n);
            return this;
        }
    }

    @Override
    public RequestBytes request() {
        return request;
    }

    @Override
    public ByteBuffer replyBody() {
        return body;
    }

    @Override
    public void reply(long unique, int error, int bodyLength) throws ErrnoException {
        int len = Fuse.OUT_HEADER_SIZE + (error == 0 ? bodyLength : 0);
        Encoder.outHeader(out, 0, len, error, unique);
        channel.write(out, len);
    }
}
