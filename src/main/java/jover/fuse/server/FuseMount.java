package jover.fuse.server;

import jover.fuse.abi.Fuse;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Sys;

/**
 * Mounts a FUSE filesystem without libfuse: opens /dev/fuse, asks for synchronous INIT so that
 * mount(2) returns only once the filesystem answers, and gives every further worker a cloned
 * descriptor (each reply must go back on the descriptor its request came from).
 */
public final class FuseMount {
    /** What to mount where, with which mount(2) flags and fuse options. */
    public record Spec(String source, String target, String subtype, long msFlags, boolean allowOther,
                       boolean defaultPermissions) {
    }

    private FuseMount() {
    }

    /**
     * Mounts {@code spec} and starts all of {@code server}'s workers. Returns once the mount
     * answers requests. On failure nothing stays mounted.
     */
    public static void mount(Spec spec, FuseServer server) throws ErrnoException, InterruptedException {
        Fd dev = Sys.open("/dev/fuse", Linux.O_RDWR);
        boolean syncInit = true;
        try {
            Sys.ioctl(dev, Fuse.DEV_IOC_SYNC_INIT);
        } catch (ErrnoException e) {
            syncInit = false; // older kernels: mount first, then wait for INIT below
        }
        if (syncInit) {
            server.startWorker(new DevFuseChannel(dev));
        }
        StringBuilder data = new StringBuilder()
                .append("fd=").append(dev.get())
                .append(",rootmode=40000,user_id=").append(0).append(",group_id=").append(0);
        if (spec.defaultPermissions()) {
            data.append(",default_permissions");
        }
        if (spec.allowOther()) {
            data.append(",allow_other");
        }
        try {
            Sys.mount(spec.source(), spec.target(), "fuse." + spec.subtype(), spec.msFlags(), data.toString());
        } catch (ErrnoException e) {
            dev.close();
            throw e;
        }
        if (!syncInit) {
            server.startWorker(new DevFuseChannel(dev));
        }
        if (server.awaitInit() == null) {
            Sys.umount(spec.target(), Linux.MNT_DETACH);
            throw new ErrnoException(Errno.EPROTO, "FUSE INIT", spec.target());
        }
        try (Fd probe = Sys.open("/", Linux.O_PATH | Linux.O_DIRECTORY)) {
            server.connected(dev, probe);
        }
        for (int i = 1; i < server.workers(); i++) {
            Fd clone = Sys.open("/dev/fuse", Linux.O_RDWR);
            Sys.ioctl(clone, Fuse.DEV_IOC_CLONE, dev.get());
            server.startWorker(new DevFuseChannel(clone));
        }
    }
}
