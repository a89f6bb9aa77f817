package jover.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jover.testing.Environment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged launcher, bin/jover, as a user or a container engine runs it: a background mount
 * returns only once the mount answers and leaves one daemon serving; errors come back as one
 * line and a non-zero exit; umount leaves no daemon behind. Runs after `mvn package`.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherIT {
    private static final Path LAUNCHER = Path.of("bin/jover").toAbsolutePath();
    private static final Path EXAMPLE = Path.of("examples/layers").toAbsolutePath();

    @TempDir
    Path tmp;
    private Path mnt;

    record Result(int exit, String out, String err) {
    }

    @BeforeEach
    void setUp() throws IOException {
        Environment.requireFuseMounting();
        mnt = Files.createDirectory(tmp.resolve("mnt"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (mounted(mnt)) {
            new ProcessBuilder("umount", "-l", mnt.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(LAUNCHER.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("jover-out", ".txt");
        Path err = Files.createTempFile("jover-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher did not return: " + cmd);
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static boolean mounted(Path dir) throws IOException {
        String needle = " " + dir.toString() + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .anyMatch(l -> l.contains(needle) && l.contains(" - fuse.jover "));
    }

    private static List<ProcessHandle> daemonsFor(Path dir) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(dir.toString())).orElse(false))
                .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .collect(Collectors.toList());
    }

    @Test
    void backgroundMountIsLiveWhenTheLauncherReturns() throws Exception {
        Result r = run("mount", "-o", "lowerdir=" + EXAMPLE.resolve("app") + ":" + EXAMPLE.resolve("base"),
                mnt.toString());
        assertEquals(0, r.exit(), "stderr: " + r.err());
        assertEquals("", r.err());
        assertTrue(mounted(mnt));
        // No waiting: the mount answers as soon as the launcher has returned.
        assertEquals("mode=app\n", Files.readString(mnt.resolve("etc/app.conf")));
        assertFalse(Files.exists(mnt.resolve("obsolete.txt")), "whited-out file is visible");
        try (Stream<Path> cache = Files.list(mnt.resolve("var/cache"))) {
            assertEquals(List.of("fresh.cache"),
                    cache.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
        try (Stream<Path> all = Files.walk(mnt)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().startsWith(".wh.")), ".wh. name visible");
        }
        List<ProcessHandle> daemons = daemonsFor(mnt);
        assertEquals(1, daemons.size(), "one daemon JVM serves the mount");
        ProcessHandle daemon = daemons.get(0);

        Result u = run("umount", mnt.toString());
        assertEquals(0, u.exit(), "stderr: " + u.err());
        assertFalse(mounted(mnt));
        daemon.onExit().get(20, TimeUnit.SECONDS);
        assertFalse(daemon.isAlive(), "daemon left behind after umount");
    }

    @Test
    void theFuseOverlayfsCommandLinesMountToo() throws Exception {
        String opts = "lowerdir=" + EXAMPLE.resolve("app") + ":" + EXAMPLE.resolve("base");
        Result r = run("-o", opts, mnt.toString());
        assertEquals(0, r.exit(), "stderr: " + r.err());
        assertEquals("Welcome to the base layer.\n", Files.readString(mnt.resolve("etc/motd")));
        assertEquals(0, run("umount", mnt.toString()).exit());

        r = run("overlay", mnt.toString(), "-o", opts);
        assertEquals(0, r.exit(), "stderr: " + r.err());
        assertTrue(Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .anyMatch(l -> l.contains(" " + mnt + " ") && l.contains(" fuse.jover overlay ")),
                "source 'overlay' shown in mountinfo");
        assertEquals(0, run("umount", mnt.toString()).exit());
    }

    @Test
    void badInputIsOneLineAndNonZero() throws Exception {
        List<String[]> cases = List.of(
                new String[] {"mount", "-o", "lowerdir=" + tmp.resolve("missing"), mnt.toString()},
                new String[] {"mount", "-o", "lowerdir=", mnt.toString()},
                new String[] {"mount", "-o", "lowerdir=" + EXAMPLE.resolve("base"), tmp.resolve("nomnt").toString()},
                new String[] {"-o", "lowerdir=" + EXAMPLE.resolve("base") + ",upperdir=" + tmp, mnt.toString()},
                new String[] {"umount", tmp.resolve("not-a-mount").toString()});
        for (String[] args : cases) {
            Result r = run(args);
            String what = String.join(" ", args);
            assertNotEquals(0, r.exit(), what);
            assertEquals(1, r.err().lines().count(), what + " -> " + r.err());
            assertTrue(r.err().startsWith("jover: "), what + " -> " + r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), what + " -> " + r.err());
            assertFalse(mounted(mnt));
        }
    }

    @Test
    void versionAndHelpRunInTheForeground() throws Exception {
        Result v = run("--version");
        assertEquals(0, v.exit());
        assertTrue(v.out().startsWith("jover "), v.out());
        Result h = run("mount", "--help");
        assertEquals(0, h.exit(), h.err());
        assertTrue(h.out().contains("lowerdir"), h.out());
    }

    @Test
    void theDemoScriptShowsTheMergedExample() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "examples/demo.sh").redirectErrorStream(true);
        pb.environment().put("JOVER_SKIP_BUILD", "1"); // verify has just built the jar
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("f 644 ./var/cache/fresh.cache"), text);
        assertFalse(text.contains("old-1.cache") && text.contains("./var/cache/old-1.cache"), text);
        assertFalse(text.contains("./obsolete.txt"), text);
        assertTrue(text.contains("hello from the app layer"), text);
    }
}
