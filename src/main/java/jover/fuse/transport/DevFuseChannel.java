package jover.fuse.transport;

import java.nio.ByteBuffer;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Sys;

/** A {@link FuseChannel} on a /dev/fuse descriptor. */
public final class DevFuseChannel implements FuseChannel {
    private final Fd fd;

    public DevFuseChannel(Fd fd) {
        this.fd = fd;
    }

    public Fd fd() {
        return fd;
    }

    @Override
    public int read(ByteBuffer buf) throws ErrnoException {
        return Sys.read(fd, buf);
    }

    @Override
    public void write(ByteBuffer buf, int len) throws ErrnoException {
        Sys.write(fd, buf, len);
    }
}
