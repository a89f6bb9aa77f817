package jover.mount;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jover.testing.Environment;
import jover.testing.LayerWriter;
import jover.testing.MountFixture;
import jover.testing.OverlayAssertions;
import jover.testing.TreeGenerator;
import jover.testing.TreeSnapshot;
import jover.testing.TreeSpec;
import jover.testing.WhiteoutForm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the test tooling itself, kernel against kernel: the same spec written in each form the
 * kernel reads (KERNEL, XATTR, USERXATTR with -o userxattr) must give kernel overlayfs the view
 * {@link TreeSpec#expectedView()} predicts, with consistent inode numbers. If this fails, the
 * writer, the snapshot or the model is wrong, not jover.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KernelSelfCheckTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireKernelOverlay();
    }

    static Stream<Arguments> cases() {
        return Stream.of(1L, 2L, 3L, 42L, 1234L).flatMap(seed -> Stream.of(
                WhiteoutForm.KERNEL, WhiteoutForm.XATTR, WhiteoutForm.USERXATTR).flatMap(form -> Stream.of(
                        Arguments.of(seed, form, false), Arguments.of(seed, form, true))));
    }

    @ParameterizedTest(name = "seed {0} {1} upper={2}")
    @MethodSource("cases")
    void kernelShowsTheViewTheSpecImplies(long seed, WhiteoutForm form, boolean withUpper) throws Exception {
        TreeSpec spec = TreeGenerator.generate(seed);
        Path dir = fx.newDir("selfcheck");
        List<Path> lowers = LayerWriter.write(spec, form, dir.resolve("layers"));
        Optional<Path> upper = Optional.empty();
        Optional<Path> work = Optional.empty();
        if (withUpper) {
            upper = Optional.of(dir.resolve("upper"));
            work = Optional.of(dir.resolve("work"));
            LayerWriter.prepareUpper(spec, upper.get(), work.get());
        }
        Path mnt = dir.resolve("mnt");
        fx.kernel(lowers, upper, work, mnt, form.userxattr());

        TreeSnapshot kernel = TreeSnapshot.of(mnt);
        TreeSnapshot expected = spec.expectedView();
        Supplier<String> context = () -> "seed " + seed + " form " + form + " upper=" + withUpper;
        OverlayAssertions.assertSameTree(expected, kernel, "spec", "kernel", context);
        OverlayAssertions.assertKernelConsistent(kernel, spec, context);
        assertTrue(kernel.entries().size() > 20, "tree too small: " + kernel.entries().size());
    }
}
