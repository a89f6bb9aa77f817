package jover.daemon;

import java.io.PrintStream;
import jover.session.MountConfig;
import jover.session.MountFailure;
import jover.session.MountSession;
import jover.sys.ErrnoException;
import jover.sys.ProcessCalls;

/**
 * The serving process of one mount: prepares the process (session, descriptor limit, umask),
 * runs a {@link MountSession} until the mount goes away, and unmounts it on SIGTERM/SIGINT.
 * When started by bin/jover to run in the background, the launcher passes a status pipe in
 * {@code JOVER_STATUS_FD}: the daemon leaves its caller's session, and once the mount answers it
 * writes "mounted" there and points its stdio at /dev/null, so the launcher (and a container
 * engine waiting for EOF on stderr) can return.
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
        try {
            if (statusFd != null) {
                ProcessCalls.setsid();
            }
            ProcessCalls.raiseOpenFileLimit();
            ProcessCalls.umask(0); // modes are set explicitly; the caller's umask came applied by the kernel
            try (MountSession session = MountSession.open(config, err)) {
                installStatsSignal(session); // before the mount is visible: SIGUSR1 would otherwise kill us
                session.mount();
                Runtime.getRuntime().addShutdownHook(new Thread(session::unmount, "jover-unmount"));
                if (statusFd != null) {
                    ProcessCalls.detachStdio();
                    ProcessCalls.chdir("/");
                    ProcessCalls.writeLineAndClose(Integer.parseInt(statusFd), "mounted");
                }
                return session.awaitEnd() == null ? 0 : 1;
            }
        } catch (MountFailure e) {
            err.println("jover: " + e.getMessage());
            return 1;
        } catch (ErrnoException e) {
            err.println("jover: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("jover: interrupted while mounting");
            return 1;
        }
    }

    /** SIGUSR1 prints one line of counters to stderr (tests read it; harmless otherwise). */
    private static void installStatsSignal(MountSession session) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), s -> System.err.println("jover-stats "
                    + session.stats()));
        } catch (IllegalArgumentException e) {
            // the signal is reserved on this JVM: statistics are simply unavailable
        }
    }
}
