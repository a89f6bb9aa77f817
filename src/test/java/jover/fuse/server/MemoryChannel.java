package jover.fuse.server;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jover.fuse.transport.FuseChannel;
import jover.sys.Errno;
import jover.sys.ErrnoException;

/**
 * An in-memory /dev/fuse: requests (byte arrays) or errnos to throw from read() are queued in,
 * replies are captured. Like the device, read() blocks until something is queued.
 */
final class MemoryChannel implements FuseChannel {
    private final BlockingQueue<Object> requests = new LinkedBlockingQueue<>();
    private final BlockingQueue<Wire.Reply> replies = new LinkedBlockingQueue<>();
    private final List<Wire.Reply> all = new ArrayList<>();
    private volatile int smallestReadBuffer = Integer.MAX_VALUE;
    private volatile int reads;

    /** Queues one request. */
    MemoryChannel send(byte[] request) {
        requests.add(request);
        return this;
    }

    /** Queues an error for read() to throw. */
    MemoryChannel fail(int errno) {
        requests.add(errno);
        return this;
    }

    /** Queues the unmount: read() then throws ENODEV. */
    MemoryChannel unmount() {
        return fail(Errno.ENODEV);
    }

    @Override
    public int read(ByteBuffer buf) throws ErrnoException {
        reads++;
        smallestReadBuffer = Math.min(smallestReadBuffer, buf.capacity());
        Object next;
        try {
            next = requests.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR, "read", "memory channel");
        }
        if (next instanceof Integer errno) {
            throw new ErrnoException(errno, "read", "memory channel");
        }
        byte[] req = (byte[]) next;
        if (req.length > buf.capacity()) {
            throw new ErrnoException(Errno.EINVAL, "read", "request larger than the read buffer");
        }
        buf.put(0, req);
        return req.length;
    }

    @Override
    public void write(ByteBuffer buf, int len) {
        byte[] bytes = new byte[len];
        buf.get(0, bytes);
        Wire.Reply r = Wire.Reply.parse(bytes);
        synchronized (all) {
            all.add(r);
        }
        replies.add(r);
    }

    /** The next reply, waiting up to 5 seconds; null when none came. */
    Wire.Reply nextReply() throws InterruptedException {
        return replies.poll(5, TimeUnit.SECONDS);
    }

    /** Every reply written so far, in order. */
    List<Wire.Reply> replies() {
        synchronized (all) {
            return new ArrayList<>(all);
        }
    }

    int smallestReadBuffer() {
        return smallestReadBuffer;
    }

    int reads() {
        return reads;
    }
}
