package jover.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import jover.sys.Sys;
import jover.testing.Environment;
import jover.testing.JoverMount;
import jover.testing.MountFixture;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * trusted.* xattr names are listed only to callers with CAP_SYS_ADMIN, as the kernel's
 * filesystems list them: root with the capability sees them, root without it (a container's
 * root, say: podman drops CAP_SYS_ADMIN) does not. Checked on kernel overlayfs too.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TrustedXattrListingTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "jover"})
    void trustedNames_listedOnlyWithCapSysAdmin(String impl) throws Exception {
        Environment.requireFor(impl);
        Path dir = fx.newDir("trusted");
        Path lower = Files.createDirectories(dir.resolve("l"));
        Path lower2 = Files.createDirectories(dir.resolve("l2"));
        Path f = Files.writeString(lower.resolve("f"), "f");
        Sys.lsetxattr(f.toString(), "trusted.jover-test", "t".getBytes(StandardCharsets.UTF_8), 0);
        Sys.lsetxattr(f.toString(), "user.jover-test", "u".getBytes(StandardCharsets.UTF_8), 0);
        Path mnt = dir.resolve("m");
        Path m = impl.equals("kernel")
                ? fx.kernel(List.of(lower, lower2), Optional.empty(), Optional.empty(), mnt, false).mountPoint()
                : fx.jover(List.of(lower, lower2), mnt).mountPoint();
        String file = m.resolve("f").toString();
        assertEquals("[trusted.jover-test, user.jover-test]", listed(file, false), impl + ": as root");
        assertEquals("[user.jover-test]", listed(file, true), impl + ": as root without CAP_SYS_ADMIN");
    }

    /** The xattr names a child JVM lists, sorted; {@code dropSysAdmin} runs it without CAP_SYS_ADMIN. */
    private static String listed(String file, boolean dropSysAdmin) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (dropSysAdmin) {
            cmd.addAll(List.of("setpriv", "--bounding-set=-sys_admin", "--inh-caps=-sys_admin", "--"));
        }
        cmd.addAll(JoverMount.javaCommand());
        cmd.addAll(List.of(Probe.class.getName(), file));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return out;
    }

    /** Prints the sorted xattr names of one path. */
    public static final class Probe {
        private Probe() {
        }

        public static void main(String[] args) throws Exception {
            System.out.println(new TreeSet<>(Sys.llistxattr(args[0])));
        }
    }
}
