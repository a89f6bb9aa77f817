package jover.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The test class path copied once per test JVM into a world-readable temp dir, for children
 * that run with a dropped uid: the real one lives under /root (0700), which they cannot read.
 * Removed when the JVM exits.
 */
public final class WorldReadableClassPath {
    private static String copied;

    private WorldReadableClassPath() {
    }

    public static synchronized String get() {
        if (copied != null) {
            return copied;
        }
        try {
            Path base = Files.createTempDirectory("jover-child-classpath-");
            List<String> out = new ArrayList<>();
            int i = 0;
            for (String entry : JoverMount.classPath().split(java.io.File.pathSeparator)) {
                Path src = Path.of(entry);
                if (entry.isEmpty() || !Files.exists(src)) {
                    continue;
                }
                Path dst = base.resolve(i++ + "-" + src.getFileName());
                copy(src, dst);
                out.add(dst.toString());
            }
            try (Stream<Path> walk = Files.walk(base)) {
                for (Path f : (Iterable<Path>) walk::iterator) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(
                            Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    MountFixture.deleteTree(base);
                } catch (Exception e) {
                    // left in the temp dir
                }
            }, "jover-child-classpath-cleanup"));
            copied = String.join(java.io.File.pathSeparator, out);
            return copied;
        } catch (IOException e) {
            throw new IllegalStateException("copying the class path for unprivileged children failed", e);
        }
    }

    /** A jar, or a directory tree of regular files. */
    private static void copy(Path src, Path dst) throws IOException {
        if (!Files.isDirectory(src)) {
            Files.copy(src, dst);
            return;
        }
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                Path d = dst.resolve(src.relativize(f).toString());
                if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(d);
                } else if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(f, d);
                }
            }
        }
    }
}
