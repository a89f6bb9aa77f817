package jover.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.testing.Environment;
import jover.testing.FsCalls;
import jover.testing.LayerWriter;
import jover.testing.MountFixture;
import jover.testing.TreeSpec;
import jover.testing.WhiteoutForm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A directory open in a process, then removed through the mount (rmdir, or a rename over it):
 * fstat of the open descriptor still answers, as on kernel overlayfs, for a lower, an upper and a
 * merged directory. jover answered ESTALE (found by the differential suite, seed 20261207): a
 * directory node without a name had no descriptor to be reached through.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OpenRemovedDirectoryTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireFuseAndKernelOverlay();
    }

    static TreeSpec lowers() {
        return TreeSpec.builder()
                .layer().dir("low").dir("merged").dir("low2").dir("merged2")
                .layer().dir("deeper").file("merged/m", "m\n")
                .build();
    }

    @Test
    void fstatOfAnOpenRemovedDirectory_answersAsOnTheKernel() throws Exception {
        assertEquals(outcomes("kernel"), outcomes("jover"));
    }

    /** For each case: what fstat of the open directory says after its removal. */
    private List<String> outcomes(String impl) throws Exception {
        Path dir = fx.newDir("openrm-" + impl);
        List<Path> lowers = LayerWriter.write(lowers(), WhiteoutForm.KERNEL, dir.resolve("layers"));
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(upper.resolve("up"));
        Files.createDirectories(upper.resolve("up2"));
        Files.createDirectories(upper.resolve("merged"));
        Files.createDirectories(upper.resolve("merged2"));
        Files.createDirectories(upper.resolve("target2")); // upper-only: renaming a lower one is EXDEV
        Path m = impl.equals("kernel")
                ? fx.kernel(lowers, Optional.of(upper), Optional.of(work), dir.resolve("mnt"), false).mountPoint()
                : fx.jover(lowers, Optional.of(upper), Optional.of(work), dir.resolve("mnt"), false).mountPoint();
        List<String> out = new ArrayList<>();
        for (String d : List.of("low", "up", "merged")) {
            out.add(d + " rmdir: " + afterRemoval(m.resolve(d), () -> {
                if (d.equals("merged")) {
                    Files.delete(m.resolve("merged/m"));
                }
                Files.delete(m.resolve(d));
            }));
        }
        for (String d : List.of("low2", "up2", "merged2")) {
            out.add(d + " renamed over: " + afterRemoval(m.resolve(d), () ->
                    FsCalls.rename2(Raw.of(m.resolve("target2")), Raw.of(m.resolve(d)), 0)));
            Files.createDirectories(m.resolve("target2"));
        }
        return out;
    }

    private interface Removal {
        void run() throws Exception;
    }

    private static String afterRemoval(Path d, Removal removal) throws Exception {
        int fd = FsCalls.open(Raw.of(d), Linux.O_RDONLY | Linux.O_DIRECTORY, 0);
        try {
            String before = FsCalls.fstatModeAndLinks(fd);
            removal.run();
            try {
                return "before " + before + ", after " + FsCalls.fstatModeAndLinks(fd);
            } catch (ErrnoException e) {
                return "before " + before + ", after " + FsCalls.errnoName(e.errno());
            }
        } finally {
            FsCalls.close(fd);
        }
    }
}
