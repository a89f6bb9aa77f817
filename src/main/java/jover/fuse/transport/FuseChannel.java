package jover.fuse.transport;

import java.nio.ByteBuffer;
import jover.sys.ErrnoException;

/** One /dev/fuse descriptor (the original or a clone) as a worker sees it; tests use an in-memory one. */
public interface FuseChannel {
    /** Reads one request into {@code buf} from position 0; returns its length. */
    int read(ByteBuffer buf) throws ErrnoException;

    /** Writes one reply: the first {@code len} bytes of {@code buf}. */
    void write(ByteBuffer buf, int len) throws ErrnoException;
}
