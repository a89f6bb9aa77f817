package jover.cli;

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
import jover.sys.ProcessCalls;
import jover.sys.Raw;
import jover.sys.Sys;

/**
 * Runs one mount: opens the layers, mounts, serves until the mount goes away, and unmounts on
 * SIGTERM/SIGINT. When started by bin/jover to run in the background, the launcher passes a
 * status pipe in {@code JOVER_STATUS_FD}: the daemon leaves its caller's session, and once the
 * mount answers it writes "mounted" there and points its stdio at /dev/null, so the launcher
 * (and a container engine waiting for EOF on stderr) can return.
 */
public final class Daemon {
    static final String STATUS_FD_ENV = "JOVER_STATUS_FD";

    private Daemon() {
    }

    /**
     * Mounts and serves {@code config}; returns the process exit code. Fatal problems are reported
     * as one line on stderr ("jover: ...") and a non-zero result.
     */
    public static int serve(MountConfig config) {
        PrintStream err = System.err;
        String statusFd = config.foreground() ? null : System.getenv(STATUS_FD_ENV);
        String target = Raw.of(config.mountPoint());
        List<Layer> layers = new ArrayList<>();
        Fd workdir = null;
        try {
            if (statusFd != null) {
                ProcessCalls.setsid();
            }
            ProcessCalls.raiseOpenFileLimit();
            ProcessCalls.umask(0); // modes are set explicitly; the caller's umask came applied by the kernel
            layers = openLayers(config);
            workdir = config.workDir().isPresent()
                    ? Sys.open(Raw.of(config.workDir().get()), Linux.O_RDONLY | Linux.O_DIRECTORY) : null;
            OverlayFs fs = new OverlayFs(layers, workdir, config.mountsReadOnly(), config.userXattr(),
                    config.timeoutSeconds(), !config.passthrough().equals("off"), config.owners());
            FuseServer server = new FuseServer(fs, config.threads(), config.debug(), err);
            installStatsSignal(fs, server); // before the mount is visible: SIGUSR1 would otherwise kill us
            FuseMount.mount(spec(config, target), server);
            Unmounter unmounter = new Unmounter(target);
            if (!fs.passthroughActive() && !config.passthrough().equals("off")) {
                if (config.passthrough().equals("on")) {
                    unmounter.onSignal();
                    err.println("jover: passthrough=on, but the kernel refused FUSE passthrough (it needs "
                            + "CAP_SYS_ADMIN and a kernel built with it); mount with passthrough=auto or off");
                    return 1;
                }
                err.println("jover: FUSE passthrough unavailable; file data is served in userspace");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(unmounter::onSignal, "jover-unmount"));
            if (statusFd != null) {
                ProcessCalls.detachStdio();
                ProcessCalls.chdir("/");
                ProcessCalls.writeLineAndClose(Integer.parseInt(statusFd), "mounted");
            }
            ErrnoException failure = server.awaitExit();
            unmounter.mountGone();
            fs.close();
            return failure == null ? 0 : 1;
        } catch (ErrnoException e) {
            err.println("jover: " + describe(e, config));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("jover: interrupted while mounting");
            return 1;
        } finally {
            for (Layer l : layers) {
                l.root().close();
            }
            if (workdir != null) {
                workdir.close();
            }
        }
    }

    private static List<Layer> openLayers(MountConfig config) throws ErrnoException {
        List<Path> paths = new ArrayList<>();
        config.upperDir().ifPresent(paths::add);
        paths.addAll(config.lowerDirs());
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            String p = Raw.of(paths.get(i));
            Fd root = Sys.open(p, Linux.O_RDONLY | Linux.O_DIRECTORY);
            boolean upper = i == 0 && config.upperDir().isPresent();
            layers.add(new Layer(i, root, p, upper, Sys.stat(root).dev()));
        }
        return layers;
    }

    private static MountSpec spec(MountConfig c, String target) {
        long flags = 0;
        flags |= c.mountsReadOnly() ? Linux.MS_RDONLY : 0;
        flags |= c.suid() ? 0 : Linux.MS_NOSUID;
        flags |= c.dev() ? 0 : Linux.MS_NODEV;
        flags |= c.exec() ? 0 : Linux.MS_NOEXEC;
        flags |= c.noatime() ? Linux.MS_NOATIME : 0;
        return new MountSpec(c.source(), target, "jover", flags, c.allowOther(), c.defaultPermissions());
    }

    private static String describe(ErrnoException e, MountConfig c) {
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

    /** SIGUSR1 prints one line of counters to stderr (tests read it; harmless otherwise). */
    private static void installStatsSignal(OverlayFs fs, FuseServer server) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), s -> System.err.println("jover-stats " + fs.stats()
                    + " reads=" + server.served(Opcode.READ) + " writes=" + server.served(Opcode.WRITE)
                    + " passthrough=" + (fs.passthroughActive() ? 1 : 0)));
        } catch (IllegalArgumentException e) {
            // the signal is reserved on this JVM: statistics are simply unavailable
        }
    }

    /** Unmounts on SIGTERM/SIGINT, unless the mount already went away. */
    private static final class Unmounter {
        private final String target;
        private volatile boolean gone;

        Unmounter(String target) {
            this.target = target;
        }

        void mountGone() {
            gone = true;
        }

        void onSignal() {
            if (gone) {
                return;
            }
            try {
                Sys.umount(target, Linux.UMOUNT_NOFOLLOW);
            } catch (ErrnoException e) {
                try {
                    // busy: detach it; when this process exits the connection is aborted
                    Sys.umount(target, Linux.MNT_DETACH | Linux.UMOUNT_NOFOLLOW);
                } catch (ErrnoException ignored) {
                    // nothing more to do on the way out
                }
            }
        }
    }
}
