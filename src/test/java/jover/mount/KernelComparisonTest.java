package jover.mount;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jover.testing.Environment;
import jover.testing.JoverMount;
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
 * jover against kernel overlayfs on the same abstract tree: the kernel reads it in its own form
 * (USERXATTR with -o userxattr when that form is tested), jover in the form under test. Both
 * read-only (lowers only) and with an empty upper and work dir. The views must be equal (names,
 * types, modes, owners, sizes, contents, link targets, user xattrs, nlink, mtimes) and jover's
 * must be self-consistent: readdir d_ino = st_ino, d_type right, st_ino unique, no overlay-private
 * xattr listed, no .wh.* name, no name listed that does not stat.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KernelComparisonTest {
    /** Default seeds; run others with -Djover.test.seeds=7,8,9 (each case prints its seed). */
    static final long[] SEEDS = seeds();

    static long[] seeds() {
        String prop = System.getProperty("jover.test.seeds", "").trim();
        if (prop.isEmpty()) {
            return new long[] {1, 2, 3, 42};
        }
        return java.util.Arrays.stream(prop.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
    }

    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireFuseAndKernelOverlay();
    }

    static Stream<Arguments> cases() {
        return Stream.of(WhiteoutForm.values()).flatMap(form -> java.util.Arrays.stream(SEEDS).boxed()
                .flatMap(seed -> Stream.of(Arguments.of(form, seed, false), Arguments.of(form, seed, true))));
    }

    @ParameterizedTest(name = "{0} seed {1} upper={2}")
    @MethodSource("cases")
    void joverShowsWhatTheKernelShows(WhiteoutForm form, long seed, boolean withUpper) throws Exception {
        TreeSpec spec = TreeGenerator.generate(seed);
        Path dir = fx.newDir("cmp");
        WhiteoutForm kernelForm = form.kernelCounterpart();

        List<Path> kernelLowers = LayerWriter.write(spec, kernelForm, dir.resolve("k-layers"));
        List<Path> joverLowers = LayerWriter.write(spec, form, dir.resolve("j-layers"));
        Optional<Path> kUpper = Optional.empty();
        Optional<Path> kWork = Optional.empty();
        Optional<Path> jUpper = Optional.empty();
        Optional<Path> jWork = Optional.empty();
        if (withUpper) {
            kUpper = Optional.of(dir.resolve("k-upper"));
            kWork = Optional.of(dir.resolve("k-work"));
            jUpper = Optional.of(dir.resolve("j-upper"));
            jWork = Optional.of(dir.resolve("j-work"));
            LayerWriter.prepareUpper(spec, kUpper.get(), kWork.get());
            LayerWriter.prepareUpper(spec, jUpper.get(), jWork.get());
        }
        fx.kernel(kernelLowers, kUpper, kWork, dir.resolve("k-mnt"), kernelForm.userxattr());
        JoverMount jover = fx.jover(joverLowers, jUpper, jWork, dir.resolve("j-mnt"), form.userxattr());

        Supplier<String> context = () -> "form " + form + ", seed " + seed + ", upper " + withUpper + ", "
                + spec.size() + " spec entries in " + spec.layers().size() + " layers\n" + jover.output();

        TreeSnapshot kernel = TreeSnapshot.of(dir.resolve("k-mnt"));
        // the tooling first: the kernel must show what the spec implies
        OverlayAssertions.assertSameTree(spec.expectedView(), kernel, "spec", "kernel", context);
        OverlayAssertions.assertKernelConsistent(kernel, spec, context);

        TreeSnapshot joverView = TreeSnapshot.of(jover.mountPoint());
        OverlayAssertions.assertSameTree(kernel, joverView, "kernel", "jover", context);
        OverlayAssertions.assertNoAufsNames(joverView, context);
        OverlayAssertions.assertConsistent(joverView, "jover", context);
    }
}
