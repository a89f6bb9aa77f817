package jover.cli;

/**
 * Runs one mount: opens /dev/fuse, mounts, serves until unmounted. Owned by the core; the
 * command line only builds a validated {@link MountConfig} and hands it here.
 */
public final class Daemon {
    private Daemon() {
    }

    /**
     * Mounts and serves {@code config}; returns the process exit code. Fatal problems are reported
     * as one line on stderr ("jover: ...") and a non-zero result.
     */
    public static int serve(MountConfig config) {
        System.err.println("jover: serving is not implemented yet");
        return 1;
    }
}
