package jover.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jover.testing.Environment;
import jover.testing.HostCalls;
import jover.testing.JoverMount;
import jover.testing.LayerWriter;
import jover.testing.MountFixture;
import jover.testing.MountInfo;
import jover.testing.TreeSpec;
import jover.testing.WhiteoutForm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The daemon ends with its mount: unmounted from outside it exits 0; on SIGTERM/SIGINT it unmounts and exits. */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LifecycleTest {
    static final Duration EXIT_WITHIN = Duration.ofSeconds(10);

    @RegisterExtension
    final MountFixture fx = new MountFixture();

    private Path dir;

    @BeforeEach
    void requirements() {
        Environment.requireFuseMounting();
    }

    private JoverMount mount() throws IOException {
        dir = fx.newDir("lifecycle");
        TreeSpec spec = TreeSpec.builder().layer().file("f", "top\n").dir("d").layer().file("d/g", "low\n").build();
        List<Path> lowers = LayerWriter.write(spec, WhiteoutForm.KERNEL, dir.resolve("layers"));
        JoverMount jover = fx.jover(lowers, dir.resolve("mnt"));
        assertEquals("top\n", Files.readString(jover.mountPoint().resolve("f")), jover::output);
        return jover;
    }

    private void assertNoJoverMountLeft(JoverMount jover) {
        List<MountInfo> left = MountInfo.under(dir).stream()
                .filter(m -> m.fsType().equals(JoverMount.FSTYPE)).toList();
        assertEquals(List.of(), left, () -> "fuse.jover mounts left\n" + jover.output());
    }

    private void assertExits(JoverMount jover, String after, boolean requireZero) throws Exception {
        Optional<Integer> code = jover.waitForExit(EXIT_WITHIN);
        assertTrue(code.isPresent(), () -> "jover still running " + EXIT_WITHIN.toSeconds() + " s after " + after
                + " (mounted: " + jover.isMounted() + ")\n" + signalDispositions(jover.pid()) + jover.output());
        if (requireZero) {
            assertEquals(0, code.get(), () -> "exit code after " + after + "\n" + jover.output());
        }
        assertNoJoverMountLeft(jover);
    }

    @Test
    void umountSyscallEndsTheDaemonWithExitCode0() throws Exception {
        JoverMount jover = mount();
        jover.unmount();
        assertExits(jover, "umount2(MNT, 0)", true);
    }

    @Test
    void cliUmountEndsTheDaemonWithExitCode0() throws Exception {
        JoverMount jover = mount();
        JoverMount.CommandResult r = JoverMount.runCli(Duration.ofSeconds(30), "umount",
                jover.mountPoint().toString());
        assertEquals(0, r.exitCode(), () -> "jover umount: stdout " + r.stdout() + "\nstderr " + r.stderr());
        assertExits(jover, "jover umount", true);
    }

    @Test
    void sigtermUnmountsAndExits() throws Exception {
        JoverMount jover = mount();
        jover.signal(HostCalls.SIGTERM);
        assertExits(jover, "SIGTERM", false);
    }

    @Test
    void sigintUnmountsAndExits() throws Exception {
        JoverMount jover = mount();
        jover.signal(HostCalls.SIGINT);
        assertExits(jover, "SIGINT", false);
    }

    /**
     * A JVM started with SIGINT ignored (a background job of a non-interactive shell) installs no
     * handler for it: shown in failure messages so that such a run is not mistaken for a bug.
     */
    static String signalDispositions(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long ign = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    boolean intIgnored = (ign & (1L << (HostCalls.SIGINT - 1))) != 0;
                    boolean termIgnored = (ign & (1L << (HostCalls.SIGTERM - 1))) != 0;
                    return "daemon " + line + " (SIGINT ignored: " + intIgnored + ", SIGTERM ignored: "
                            + termIgnored + ")\n";
                }
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
        return "";
    }
}
