package jover.fuse.transport;

import java.nio.ByteBuffer;
import jover.fuse.abi.Fuse;
import jover.fuse.codec.Encoder;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Sys;

/**
 * One FUSE connection on /dev/fuse, without libfuse: the descriptor the mount was made with,
 * its clones (each worker reads its own, and a reply must go back on the descriptor its
 * request came from), the passthrough ioctls and notifications. Closing it ends nothing the
 * kernel still holds: the connection lives until unmounted or aborted.
 */
public final class DevFuse implements KernelControl, AutoCloseable {
    private final Fd device;
    private final boolean syncInit;

    private DevFuse(Fd device, boolean syncInit) {
        this.device = device;
        this.syncInit = syncInit;
    }

    /**
     * Opens /dev/fuse and asks for synchronous INIT (FUSE_DEV_IOC_SYNC_INIT), so that mount(2)
     * returns only once INIT has been answered: a worker must then read the device before
     * {@link #mount} is called.
     */
    public static DevFuse open() throws ErrnoException {
        Fd dev = Sys.open("/dev/fuse", Linux.O_RDWR);
        try {
            Sys.ioctl(dev, Fuse.DEV_IOC_SYNC_INIT);
            return new DevFuse(dev, true);
        } catch (ErrnoException e) {
            return new DevFuse(dev, false); // older kernels: INIT comes after mount(2) returns
        }
    }

    /** Whether mount(2) waits for INIT (a worker must be reading the device already). */
    public boolean syncInit() {
        return syncInit;
    }

    /** The channel of the mount's own descriptor. */
    public FuseChannel channel() {
        return new DevFuseChannel(device);
    }

    /** A new descriptor cloned onto this connection (FUSE_DEV_IOC_CLONE), for one more worker. */
    public FuseChannel cloneChannel() throws ErrnoException {
        Fd clone = Sys.open("/dev/fuse", Linux.O_RDWR);
        try {
            Sys.ioctl(clone, Fuse.DEV_IOC_CLONE, device.get());
        } catch (ErrnoException e) {
            clone.close();
            throw e;
        }
        return new DevFuseChannel(clone);
    }

    /** mount(2) of this connection as {@code spec} says; the mount belongs to root (user_id=0). */
    public void mount(MountSpec spec) throws ErrnoException {
        StringBuilder data = new StringBuilder()
                .append("fd=").append(device.get())
                .append(",rootmode=40000,user_id=").append(0).append(",group_id=").append(0);
        if (spec.defaultPermissions()) {
            data.append(",default_permissions");
        }
        if (spec.allowOther()) {
            data.append(",allow_other");
        }
        Sys.mount(spec.source(), spec.target(), "fuse." + spec.subtype(), spec.msFlags(), data.toString());
    }

    @Override
    public int backingOpen(Fd file) throws ErrnoException {
        return Sys.ioctl(device, Fuse.DEV_IOC_BACKING_OPEN, Encoder.backingMap(file.get()));
    }

    @Override
    public void backingClose(int id) throws ErrnoException {
        Sys.ioctl(device, Fuse.DEV_IOC_BACKING_CLOSE, id);
    }

    @Override
    public void notify(ByteBuffer message, int len) throws ErrnoException {
        Sys.write(device, message, len);
    }

    @Override
    public void close() {
        device.close();
    }
}
