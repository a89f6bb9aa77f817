package jover.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jover.sys.ErrnoException;
import jover.sys.Raw;
import jover.testing.Environment;
import jover.testing.FsCalls;
import jover.testing.LayerWriter;
import jover.testing.MountFixture;
import jover.testing.TreeSpec;
import jover.testing.WhiteoutForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pins both sides of the deliberate differences the random runs do not meet
 * ({@link DeliberateDifferences.Difference#KERNEL_RMDIR_XATTR_WHITEOUTS}), so a change of either
 * implementation shows here.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeliberateDifferencesPinTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    private static String rmdir(Path p) {
        try {
            FsCalls.rmdir(Raw.of(p));
            return "ok";
        } catch (ErrnoException e) {
            return FsCalls.errnoName(e.errno());
        }
    }

    /**
     * A lower directory (alone, or merged with an empty one below) whose only entry is an xattr
     * whiteout: the kernel lists nothing but refuses rmdir; jover removes it.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WhiteoutForm.class, names = {"XATTR", "USERXATTR"})
    void rmdirOfDirectoryHoldingOnlyXattrWhiteouts_kernelENOTEMPTY_joverRemoves(WhiteoutForm form) throws Exception {
        Environment.requireFuseAndKernelOverlay();
        TreeSpec spec = TreeSpec.builder().layer().dir("b/g").whiteout("b/g/h").file("b/f", "x")
                .layer().dir("b/g").file("b/g/h", "hidden").build();
        Path dir = fx.newDir("pin");
        String kernel = null;
        String jover = null;
        for (int side = 0; side < 2; side++) {
            Path base = dir.resolve(side == 0 ? "k" : "j");
            List<Path> lowers = LayerWriter.write(spec, form, base.resolve("layers"));
            Path upper = base.resolve("upper");
            Path work = base.resolve("work");
            LayerWriter.prepareUpper(spec, upper, work);
            Path mnt = Files.createDirectories(base.resolve("mnt"));
            if (side == 0) {
                fx.kernel(lowers, Optional.of(upper), Optional.of(work), mnt, form.userxattr());
            } else {
                fx.jover(lowers, Optional.of(upper), Optional.of(work), mnt, form.userxattr());
            }
            try (java.util.stream.Stream<Path> s = Files.list(mnt.resolve("b/g"))) {
                assertEquals(0, s.count(), "b/g lists as empty on " + (side == 0 ? "the kernel" : "jover"));
            }
            String r = rmdir(mnt.resolve("b/g"));
            if (side == 0) {
                kernel = r;
            } else {
                jover = r;
            }
        }
        assertEquals("ENOTEMPTY", kernel, "kernel overlayfs");
        assertEquals("ok", jover, "jover");
    }

    /** Same layers with character-device whiteouts: both remove the directory. */
    @Test
    void rmdirOfDirectoryHoldingOnlyCharWhiteouts_bothRemove() throws Exception {
        Environment.requireFuseAndKernelOverlay();
        TreeSpec spec = TreeSpec.builder().layer().dir("b/g").whiteout("b/g/h")
                .layer().dir("b/g").file("b/g/h", "hidden").build();
        Path dir = fx.newDir("pin");
        for (int side = 0; side < 2; side++) {
            Path base = dir.resolve(side == 0 ? "k" : "j");
            List<Path> lowers = LayerWriter.write(spec, WhiteoutForm.KERNEL, base.resolve("layers"));
            Path upper = base.resolve("upper");
            Path work = base.resolve("work");
            LayerWriter.prepareUpper(spec, upper, work);
            Path mnt = Files.createDirectories(base.resolve("mnt"));
            if (side == 0) {
                fx.kernel(lowers, Optional.of(upper), Optional.of(work), mnt, false);
            } else {
                fx.jover(lowers, Optional.of(upper), Optional.of(work), mnt, false);
            }
            assertEquals("ok", rmdir(mnt.resolve("b/g")), side == 0 ? "kernel" : "jover");
        }
    }
}
