package jover.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Capabilities of another process, from {@code /proc/PID/status}: a FUSE request carries the
 * caller's pid but not its capabilities, and a few rules (clearing set-id bits, listing trusted.*
 * xattrs) depend on them.
 */
public final class Capabilities {
    /** CAP_FSETID: keep set-id bits when writing or truncating a file. */
    public static final int CAP_FSETID = 4;
    /** CAP_SYS_ADMIN: among other things, see trusted.* xattrs. */
    public static final int CAP_SYS_ADMIN = 21;

    private Capabilities() {
    }

    /**
     * Whether process {@code pid} has capability {@code cap} in its effective set; {@code
     * otherwise} when that cannot be read (pid 0: a caller outside the daemon's pid namespace,
     * or a process that is gone).
     */
    public static boolean effective(int pid, int cap, boolean otherwise) {
        if (pid <= 0) {
            return otherwise;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                if (line.startsWith("CapEff:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << cap)) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or an unexpected format: fall through
        }
        return otherwise;
    }
}
