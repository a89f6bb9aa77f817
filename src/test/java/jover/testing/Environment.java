package jover.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Prerequisites of mount tests. When one is missing the test is skipped with a message, except
 * under CI (environment CI=true), where a silently skipped tier would hide a broken machine:
 * there it fails.
 */
public final class Environment {
    private Environment() {
    }

    /** Root and /dev/fuse: enough to run the jover daemon under test. */
    public static void requireFuseMounting() {
        List<String> missing = new ArrayList<>();
        checkRoot(missing);
        if (!Files.exists(Path.of("/dev/fuse"))) {
            missing.add("/dev/fuse does not exist");
        }
        if (!filesystems().contains("fuse")) {
            missing.add("the kernel lists no 'fuse' filesystem in /proc/filesystems");
        }
        report(missing);
    }

    /** Root and kernel overlayfs: enough to mount the reference implementation. */
    public static void requireKernelOverlay() {
        List<String> missing = new ArrayList<>();
        checkRoot(missing);
        if (!filesystems().contains("overlay")) {
            missing.add("the kernel lists no 'overlay' filesystem in /proc/filesystems (modprobe overlay?)");
        }
        report(missing);
    }

    /** Both: differential tests of jover against kernel overlayfs. */
    public static void requireFuseAndKernelOverlay() {
        requireFuseMounting();
        requireKernelOverlay();
    }

    /** What a test mounting {@code impl} needs: "kernel" (kernel overlayfs) or a jover flavour (both). */
    public static void requireFor(String impl) {
        if (impl.equals("kernel")) {
            requireKernelOverlay();
        } else {
            requireFuseAndKernelOverlay();
        }
    }

    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Effective uid from /proc/self/status (no native code: a broken build must not read as "not root"). */
    private static void checkRoot(List<String> missing) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String euid = line.substring(4).trim().split("\\s+")[1];
                    if (!euid.equals("0")) {
                        missing.add("not running as root (euid " + euid + ")");
                    }
                    return;
                }
            }
            missing.add("no Uid line in /proc/self/status");
        } catch (IOException e) {
            missing.add("cannot read /proc/self/status: " + e);
        }
    }

    private static List<String> filesystems() {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/filesystems"))) {
                String[] f = line.trim().split("\\s+");
                out.add(f[f.length - 1]);
            }
        } catch (IOException e) {
            // treated as "nothing available"
        }
        return out;
    }

    private static void report(List<String> missing) {
        if (missing.isEmpty()) {
            return;
        }
        String message = "mount tests need root, /dev/fuse and kernel overlayfs: " + String.join("; ", missing);
        if (isCi()) {
            Assertions.fail(message + " (failing because CI=true)");
        }
        Assumptions.abort(message);
    }
}
