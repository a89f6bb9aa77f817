package jover.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jover.testing.Environment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Debian's podman with jover as the overlay driver's mount program, end to end: runs
 * {@code it/podman/run.sh --no-compare} (jover only; the fuse-overlayfs comparison is for people)
 * and checks that every step passed and printed what it should. The script installs podman, runc
 * and debootstrap with apt-get when they are missing and builds the rootfs tarball once into
 * /var/tmp/jover-podman-cache, so a first run takes a few minutes and later ones well under one.
 * Runs after {@code mvn package} (the script uses this checkout's bin/jover and target/jover.jar).
 */
class PodmanIT {
    private static final Path SCRIPT = Path.of("it/podman/run.sh").toAbsolutePath();
    /** The script bounds each step itself; this bounds apt-get and debootstrap on a first run too. */
    private static final long LIMIT_SECONDS = 720;

    private static final List<String> STEPS = List.of("import", "run-os-release", "create-install", "cp-deb",
            "start-install", "commit", "run-new-image", "setuid", "trace-argv", "rmi", "leftovers", "reset");

    @Test
    @Timeout(value = LIMIT_SECONDS + 60, unit = TimeUnit.SECONDS)
    void podmanRunsInstallsCommitsAndRemovesWithJoverAsMountProgram() throws Exception {
        Environment.requireFuseMounting();
        Path log = Path.of("target/podman-it.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        // output to a file, not a pipe: nothing the script leaves behind can hold this test up
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), "--no-compare")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        boolean done = p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            // SIGTERM lets the script's trap unmount and clean its storage; then force
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        String out = Files.readString(log);
        System.out.println(out);
        if (!done) {
            fail("it/podman/run.sh did not finish within " + LIMIT_SECONDS + " s; its output:\n" + out);
        }
        assertEquals(0, p.exitValue(), "it/podman/run.sh failed; its output:\n" + out);

        List<String> lines = out.lines().collect(Collectors.toList());
        for (String step : STEPS) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("ok   jover " + step + " ")),
                    "no 'ok' line for step " + step + ":\n" + out);
        }
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("FAIL")), out);
        assertTrue(lines.stream().anyMatch(l -> l.contains("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"")), out);
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("jover-hello 1.0 install ok installed")), out);
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(": hello from jover-hello 1.0")), out);
        assertTrue(lines.stream().anyMatch(l -> l.contains("jover trace-argv") && l.contains("silent, exit 0")), out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ok   jover setuid ") && l.contains("euid=0(root)")), out);
        assertEquals("podman-it: PASS (jover)", lines.get(lines.size() - 1), out);
        assertNoJoverMountLeft();
    }

    /** The script checks its own storage root; this checks from outside that nothing of it is left. */
    private static void assertNoJoverMountLeft() throws IOException {
        List<String> left = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains("/var/tmp/jover-pit."))
                .collect(Collectors.toList());
        assertEquals(List.of(), left, "mounts of the podman test left in /proc/self/mountinfo");
    }
}
