package jover.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** What the packaging tests share: the built .deb and jar, and running a command. */
final class Packaging {
    static final Path TARGET = Path.of("target").toAbsolutePath();
    static final Path JAR = TARGET.resolve("jover.jar");

    private Packaging() {
    }

    record Result(int exit, String out, String err) {
        Result ok(String what) {
            assertEquals(0, exit, what + " failed with " + exit + "\nstdout: " + out + "\nstderr: " + err);
            return this;
        }
    }

    /**
     * The .deb that {@code mvn package} built. Without dpkg-deb the build skips it, and so do the
     * tests; with dpkg-deb it must be there.
     */
    static Path deb() throws IOException {
        List<Path> debs;
        try (Stream<Path> files = Files.list(TARGET)) {
            debs = files.filter(p -> p.getFileName().toString().matches("jover_.*_all\\.deb"))
                    .collect(Collectors.toList());
        }
        if (debs.isEmpty()) {
            Assumptions.assumeTrue(ManPageTest.onPath("dpkg-deb"), "dpkg-deb is not installed: no .deb was built");
            fail("no target/jover_*_all.deb: run 'mvn package' (packaging/build-deb.sh makes it)");
        }
        assertEquals(1, debs.size(), "one .deb in target/: " + debs);
        return debs.get(0);
    }

    /** The project version, as the jar's manifest carries it (Implementation-Version). */
    static String version() throws IOException {
        assertTrue(Files.isRegularFile(JAR), "no target/jover.jar: run 'mvn package'");
        try (JarFile jar = new JarFile(JAR.toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
    }

    /** The jars the manifest's Class-Path names, e.g. "lib/picocli-4.7.7.jar". */
    static List<String> classPath() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            return List.of(jar.getManifest().getMainAttributes().getValue("Class-Path").trim().split("\\s+"));
        }
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of(), List.of(), null, 120);
    }

    /**
     * Runs {@code command} with {@code env} added to and {@code unset} removed from the environment,
     * {@code stdin} (or nothing) as input; fails if it outlives {@code seconds}.
     */
    static Result run(List<String> command, Map<String, String> env, List<String> unset, String stdin, int seconds)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("jover-pkg-out", ".txt");
        Path err = Files.createTempFile("jover-pkg-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            unset.forEach(pb.environment()::remove);
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail(command + " did not finish in " + seconds + " s\nstdout: " + Files.readString(out)
                        + "\nstderr: " + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
