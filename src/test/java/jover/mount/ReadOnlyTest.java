package jover.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.function.Supplier;
import jover.testing.JoverMount;
import jover.testing.Environment;
import jover.testing.LayerWriter;
import jover.testing.MountFixture;
import jover.testing.TreeSnapshot;
import jover.testing.TreeSpec;
import jover.testing.WhiteoutForm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Without an upper layer the mount is read-only: every change fails with EROFS ("Read-only file
 * system"), as on kernel overlayfs (checked too), and the layers stay as they were.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReadOnlyTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireFuseAndKernelOverlay();
    }

    static TreeSpec spec() {
        return TreeSpec.builder()
                .layer().file("f", "top\n").dir("d").file("d/g", "top g\n")
                .layer().file("d/low", "low\n").file("h", "h\n")
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kernel", "jover"})
    void writesFailWithEROFS(String impl) throws Exception {
        Path dir = fx.newDir("ro");
        List<Path> lowers = LayerWriter.write(spec(), WhiteoutForm.KERNEL, dir.resolve("layers"));
        Path m;
        Supplier<String> daemon;
        if (impl.equals("kernel")) {
            m = fx.kernel(lowers, Optional.empty(), Optional.empty(), dir.resolve("mnt"), false).mountPoint();
            daemon = () -> "(kernel overlayfs)";
        } else {
            JoverMount jover = fx.jover(lowers, dir.resolve("mnt"));
            m = jover.mountPoint();
            daemon = jover::output;
        }
        TreeSnapshot before = TreeSnapshot.of(dir.resolve("layers"));

        assertReadOnly(() -> Files.write(m.resolve("new"), new byte[] {1}), "create", daemon);
        assertReadOnly(() -> Files.write(m.resolve("f"), new byte[] {1}, StandardOpenOption.WRITE), "write", daemon);
        assertReadOnly(() -> Files.write(m.resolve("d/low"), new byte[] {1}, StandardOpenOption.APPEND), "append",
                daemon);
        assertReadOnly(() -> Files.write(m.resolve("h"), new byte[0], StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE), "truncate", daemon);
        assertReadOnly(() -> Files.createDirectory(m.resolve("newdir")), "mkdir", daemon);
        assertReadOnly(() -> Files.delete(m.resolve("f")), "unlink", daemon);
        assertReadOnly(() -> Files.delete(m.resolve("d/g")), "unlink in a merged dir", daemon);
        assertReadOnly(() -> Files.move(m.resolve("h"), m.resolve("h2")), "rename", daemon);
        assertReadOnly(() -> Files.createSymbolicLink(m.resolve("l"), Path.of("/nonexistent-jover-test/x")),
                "symlink", daemon);
        assertReadOnly(() -> Files.setLastModifiedTime(m.resolve("f"),
                java.nio.file.attribute.FileTime.fromMillis(0)), "utimes", daemon);
        assertReadOnly(() -> Files.setPosixFilePermissions(m.resolve("f"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx")), "chmod", daemon);

        assertEquals("top\n", Files.readString(m.resolve("f"), StandardCharsets.UTF_8));
        TreeSnapshot after = TreeSnapshot.of(dir.resolve("layers"));
        String diff = before.diff(after, "layers before", "layers after");
        assertTrue(diff.isEmpty(), () -> "the layers changed\n" + diff);
    }

    private static void assertReadOnly(Executable change, String what, Supplier<String> daemonOutput) {
        FileSystemException e = assertThrows(FileSystemException.class, change,
                () -> what + " through a read-only mount did not fail\n" + daemonOutput.get());
        assertTrue(String.valueOf(e.getReason()).contains("Read-only file system"),
                () -> what + ": expected EROFS, got " + e + "\n" + daemonOutput.get());
    }

}
