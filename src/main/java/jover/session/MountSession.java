package jover.session;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jover.fuse.abi.Opcode;
import jover.fuse.server.FuseMount;
import jover.fuse.server.FuseServer;
import jover.fuse.transport.MountSpec;
import jover.overlay.Layer;
import jover.overlay.OverlayFs;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.sys.Sys;

/**
 * One mount and everything it owns: its layer descriptors, its overlay (node table, caches),
 * its FUSE connection and worker threads, its counters. What the process owns (the JVM, signal
 * handling, the status pipe, where the log goes) is the caller's: any number of sessions may
 * live in one process, and a failure inside one session's request handling stays in it.
 *
 * <p>Life: {@link #open} opens the layers, {@link #mount} mounts and returns once the mount
 * answers, {@link #awaitEnd} waits until it is unmounted, {@link #unmount} takes it away (on a
 * signal, say), {@link #close} releases the descriptors.
 */
public final class MountSession implements AutoCloseable {
    private final MountConfig config;
    private final PrintStream log;
    private final List<Layer> layers;
    private final Fd workdir;
    private final OverlayFs fs;
    private final FuseServer server;
    private final String target;
    private volatile boolean mounted;

    private MountSession(MountConfig config, PrintStream log, List<Layer> layers, Fd workdir) throws ErrnoException {
        this.config = config;
        this.log = log;
        this.layers = layers;
        this.workdir = workdir;
        this.target = Raw.of(config.mountPoint());
        this.fs = new OverlayFs(layers, workdir, config.overlaySettings());
        this.server = new FuseServer(fs, config.threads(), config.debug(), log);
    }

    /** Opens the layers of {@code config}; nothing is mounted yet. Messages go to {@code log}. */
    public static MountSession open(MountConfig config, PrintStream log) throws MountFailure {
        List<Layer> layers = new ArrayList<>();
        Fd workdir = null;
        try {
            openLayers(config, layers);
            workdir = config.workDir().isPresent()
                    ? Sys.open(Raw.of(config.workDir().get()), Linux.O_RDONLY | Linux.O_DIRECTORY) : null;
            return new MountSession(config, log, layers, workdir);
        } catch (ErrnoException e) {
            closeAll(layers, workdir);
            throw new MountFailure(describe(e));
        }
    }

    private static void openLayers(MountConfig config, List<Layer> layers) throws ErrnoException {
        List<Path> paths = new ArrayList<>();
        config.upperDir().ifPresent(paths::add);
        paths.addAll(config.lowerDirs());
        for (int i = 0; i < paths.size(); i++) {
            String p = Raw.of(paths.get(i));
            Fd root = Sys.open(p, Linux.O_RDONLY | Linux.O_DIRECTORY);
            boolean upper = i == 0 && config.upperDir().isPresent();
            layers.add(new Layer(i, root, p, upper, Sys.stat(root).dev()));
        }
    }

    /**
     * Mounts and starts serving; returns once the mount answers. With passthrough=on and a
     * kernel that refuses it, unmounts again and fails; with passthrough=auto, says in one line
     * that file data is served in userspace.
     */
    public void mount() throws MountFailure, InterruptedException {
        try {
            FuseMount.mount(spec(), server);
        } catch (ErrnoException e) {
            throw new MountFailure(describe(e));
        }
        mounted = true;
        if (!fs.passthroughActive() && !config.passthrough().equals("off")) {
            if (config.passthrough().equals("on")) {
                unmount();
                throw new MountFailure("passthrough=on, but the kernel refused FUSE passthrough (it needs "
                        + "CAP_SYS_ADMIN and a kernel built with it); mount with passthrough=auto or off");
            }
            log.println("jover: FUSE passthrough unavailable; file data is served in userspace");
        }
    }

    private MountSpec spec() {
        long flags = 0;
        flags |= config.mountsReadOnly() ? Linux.MS_RDONLY : 0;
        flags |= config.suid() ? 0 : Linux.MS_NOSUID;
        flags |= config.dev() ? 0 : Linux.MS_NODEV;
        flags |= config.exec() ? 0 : Linux.MS_NOEXEC;
        flags |= config.noatime() ? Linux.MS_NOATIME : 0;
        return new MountSpec(config.source(), target, "jover", flags, config.allowOther(), config.defaultPermissions());
    }

    /** Blocks until the mount goes away; returns what stopped a worker, or null for a plain unmount. */
    public ErrnoException awaitEnd() throws InterruptedException {
        ErrnoException failure = server.awaitExit();
        mounted = false;
        return failure;
    }

    /** Unmounts, lazily when the mount is busy (the connection then ends with the last user). */
    public void unmount() {
        if (!mounted) {
            return;
        }
        try {
            Sys.umount(target, Linux.UMOUNT_NOFOLLOW);
        } catch (ErrnoException e) {
            try {
                Sys.umount(target, Linux.MNT_DETACH | Linux.UMOUNT_NOFOLLOW);
            } catch (ErrnoException ignored) {
                // nothing more to do on the way out
            }
        }
    }

    /** Whether file data goes through FUSE passthrough. */
    public boolean passthroughActive() {
        return fs.passthroughActive();
    }

    /** One line of counters: nodes, handles, copy-ups, userspace reads and writes, passthrough. */
    public String stats() {
        return fs.stats() + " reads=" + server.served(Opcode.READ) + " writes=" + server.served(Opcode.WRITE)
                + " passthrough=" + (fs.passthroughActive() ? 1 : 0);
    }

    /** Releases the session's descriptors; the mount, if still there, is the caller's to take away first. */
    @Override
    public void close() {
        fs.close();
        closeAll(layers, workdir);
    }

    private static void closeAll(List<Layer> layers, Fd workdir) {
        for (Layer l : layers) {
            l.root().close();
        }
        if (workdir != null) {
            workdir.close();
        }
    }

    /** One line for a failed system call while opening or mounting. */
    private static String describe(ErrnoException e) {
        switch (e.errno()) {
            case Errno.ENODEV:
            case Errno.ENOENT:
                if (e.getMessage().contains("/dev/fuse")) {
                    return "cannot open /dev/fuse: load the fuse module (modprobe fuse)";
                }
                return e.getMessage();
            case Errno.EPERM:
                return e.getMessage() + ": mounting needs root (rootless mode is not available yet)";
            default:
                return e.getMessage();
        }
    }
}
