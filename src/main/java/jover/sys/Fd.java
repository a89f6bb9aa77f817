package jover.sys;

import java.util.concurrent.atomic.AtomicInteger;

/** An open file descriptor that closes exactly once, however often {@link #close} is called. */
public final class Fd implements AutoCloseable {
    private static final int CLOSED = -1;
    private final AtomicInteger fd;

    public Fd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative fd " + fd);
        }
        this.fd = new AtomicInteger(fd);
    }

    /** The descriptor number; fails once closed so a stale number is never reused by mistake. */
    public int get() {
        int n = fd.get();
        if (n == CLOSED) {
            throw new IllegalStateException("fd used after close");
        }
        return n;
    }

    public boolean isOpen() {
        return fd.get() != CLOSED;
    }

    @Override
    public void close() {
        int n = fd.getAndSet(CLOSED);
        if (n != CLOSED) {
            Native.C.close(n);
        }
    }

    @Override
    public String toString() {
        return "Fd(" + fd.get() + ")";
    }
}
