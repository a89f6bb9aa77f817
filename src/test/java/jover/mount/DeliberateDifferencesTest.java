package jover.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jover.sys.Linux;
import jover.sys.Sys;
import jover.testing.Environment;
import jover.testing.MountFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where jover deliberately differs from kernel overlayfs (README, "Deliberate differences").
 * Each test pins both sides, so a change in either shows up here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeliberateDifferencesTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireFuseAndKernelOverlay();
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /**
     * A whiteout in a directory that only one layer has (here an opaque one): the kernel lists
     * it in readdir although looking it up fails; jover does not list what it cannot look up.
     */
    @Test
    void whiteoutInsideANonMergedDirectory_kernelListsIt_joverHidesIt() throws Exception {
        Path dir = fx.newDir("diff");
        Path top = Files.createDirectories(dir.resolve("L1/d"));
        Path bottom = Files.createDirectories(dir.resolve("L2/d"));
        Files.writeString(bottom.resolve("w"), "lower\n");
        Files.writeString(top.resolve("kept"), "top\n");
        Sys.mknod(top.resolve("w").toString(), Linux.S_IFCHR | 0644, 0, 0);
        Sys.lsetxattr(top.toString(), "trusted.overlay.opaque", new byte[] {'y'}, 0);
        List<Path> lowers = List.of(dir.resolve("L1"), dir.resolve("L2"));

        Path k = fx.kernel(lowers, java.util.Optional.empty(), java.util.Optional.empty(),
                Files.createDirectory(dir.resolve("k")), false).mountPoint();
        assertEquals(List.of("kept", "w"), names(k.resolve("d")), "kernel lists the whiteout");
        assertFalse(Files.exists(k.resolve("d/w"), LinkOption.NOFOLLOW_LINKS));

        Path j = fx.jover(lowers, Files.createDirectory(dir.resolve("j"))).mountPoint();
        assertEquals(List.of("kept"), names(j.resolve("d")), "jover hides it");
        assertThrows(NoSuchFileException.class, () -> Files.readAttributes(j.resolve("d/w"),
                "unix:ino", LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isRegularFile(j.resolve("d/kept")));
    }
}
