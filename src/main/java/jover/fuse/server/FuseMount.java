package jover.fuse.server;

import jover.fuse.transport.DevFuse;
import jover.fuse.transport.MountSpec;
import jover.fuse.transport.StreamTransport;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Sys;

/**
 * Mounts a FUSE filesystem without libfuse and starts its workers: the first on the mount's
 * own descriptor (reading before mount(2) when INIT is synchronous), every further one on a
 * clone, each with its own {@link StreamTransport}.
 */
public final class FuseMount {
    private FuseMount() {
    }

    /**
     * Mounts {@code spec} and starts all of {@code server}'s workers. Returns once the mount
     * answers requests. On failure nothing stays mounted.
     */
    public static void mount(MountSpec spec, FuseServer server) throws ErrnoException, InterruptedException {
        DevFuse dev = DevFuse.open();
        if (dev.syncInit()) {
            server.startWorker(new StreamTransport(dev.channel(), InitPolicy.MAX_WRITE));
        }
        try {
            dev.mount(spec);
        } catch (ErrnoException e) {
            dev.close();
            throw e;
        }
        if (!dev.syncInit()) {
            server.startWorker(new StreamTransport(dev.channel(), InitPolicy.MAX_WRITE));
        }
        if (server.awaitInit() == null) {
            Sys.umount(spec.target(), Linux.MNT_DETACH);
            throw new ErrnoException(Errno.EPROTO, "FUSE INIT", spec.target());
        }
        try (Fd probe = Sys.open("/", Linux.O_PATH | Linux.O_DIRECTORY)) {
            server.connected(dev, probe);
        }
        for (int i = 1; i < server.workers(); i++) {
            server.startWorker(new StreamTransport(dev.cloneChannel(), InitPolicy.MAX_WRITE));
        }
    }
}
