package jover.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Raw;
import jover.sys.Sys;
import jover.testing.Environment;
import jover.testing.JoverMount;
import jover.testing.LayerWriter;
import jover.testing.MountFixture;
import jover.testing.OverlayAssertions;
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
 * Layers full of symlinks that lead out of the layer (to /, .., ../.. at every depth, to a
 * sentinel directory beside the layers) and of the same names as directories in other layers: a
 * symlink in an upper layer over a lower directory, a lower directory under an upper symlink, a
 * symlink where a parent directory is expected. jover must show symlinks as symlinks, merge
 * directories only with directories, and never show or return anything of the sentinel.
 * The test only reads; nothing is ever followed by the test itself.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MaliciousLayerTest {
    static final String MARKER = "jover-sentinel-marker";
    static final String SENTINEL_DIR = "jover-sentinel-dir";
    /** Names the layers use for directories too: a wrong merge with the sentinel would list them. */
    static final List<String> MIRRORED = List.of("q", "child", "low", "inside", "a", "b", "c", "e", "etc", "sub");

    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireFuseAndKernelOverlay();
    }

    /** The sentinel: outside the layers, inside the test's temp dir. */
    private static byte[] writeSentinel(Path sentinel) throws Exception {
        byte[] content = ("SENTINEL " + UUID.randomUUID() + "\n").getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(sentinel.resolve(SENTINEL_DIR));
        Files.write(sentinel.resolve(MARKER), content);
        Files.write(sentinel.resolve(SENTINEL_DIR).resolve(MARKER), content);
        for (String name : MIRRORED) {
            Files.createDirectories(sentinel.resolve(name));
            Files.write(sentinel.resolve(name).resolve(MARKER), content);
        }
        return content;
    }

    static TreeSpec spec(String sentinelAbs) {
        TreeSpec.Builder b = TreeSpec.builder();
        TreeSpec.LayerBuilder l0 = b.layer();
        TreeSpec.LayerBuilder l1 = b.layer();
        TreeSpec.LayerBuilder l2 = b.layer();

        // escaping links at every depth of the top layer
        String[] dirs = {"", "a", "a/b", "a/b/c", "a/b/c/d"};
        for (int depth = 0; depth < dirs.length; depth++) {
            String d = dirs[depth];
            l0.symlink(TreeSpec.child(d, "slash"), "/");
            l0.symlink(TreeSpec.child(d, "dotdot"), "..");
            l0.symlink(TreeSpec.child(d, "dotdot2"), "../..");
            l0.symlink(TreeSpec.child(d, "climb"), "../".repeat(depth + 1));
            l0.symlink(TreeSpec.child(d, "climb-far"), "../".repeat(depth + 8) + "etc");
            l0.symlink(TreeSpec.child(d, "dot"), ".");
            l0.symlink(TreeSpec.child(d, "sentinel-abs"), sentinelAbs);
            l0.symlink(TreeSpec.child(d, "sentinel-rel"), "../".repeat(depth + 2) + "sentinel");
            l0.file(TreeSpec.child(d, "plain"), "plain file at depth " + depth + "\n");
        }
        // a symlink in the upper layer over a lower directory
        l0.symlink("x", "/");
        l1.file("x/inside", "lower x\n");
        l1.file("x/sub/deeper", "deeper\n");
        l2.file("x/bottom", "bottom\n");
        l0.symlink("m", sentinelAbs);
        l1.file("m/child", "child of a lower dir under a symlink\n");
        // directory, then symlink, then directory: the merge stops at the symlink
        l0.file("n/top", "n top\n");
        l1.symlink("n", sentinelAbs);
        l2.file("n/low", "n low: must stay hidden\n");
        l0.file("a/b/top-ab", "top ab\n");
        l1.file("a/lower-a", "lower a\n");
        l1.symlink("a/b", sentinelAbs);
        l2.file("a/b/low", "a/b low: must stay hidden\n");
        // a symlink where a parent directory is expected
        l0.file("p/q/f", "p/q/f\n");
        l1.symlink("p", "../../sentinel");
        l0.dir("s");
        l1.symlink("s", "/");
        l0.dir("e");
        l1.symlink("e", "..");
        l2.file("e/etc/passwd", "not the host's\n");
        // lower directories under an upper symlink, two levels
        l0.symlink("root", "/");
        l1.file("root/etc/hostname", "lower root/etc\n");
        l2.file("root/etc/shadow", "lower root/etc 2\n");
        l1.symlink("d2/e", "..");
        l2.file("d2/e/f", "under a symlink\n");
        l2.symlink("y", "../../..");
        l2.symlink("d3", "/");
        l1.file("d3/sub", "lower d3 over a bottom symlink\n");
        // whiteouts and opaque dirs over links and dirs (exercise the whiteout forms)
        l0.whiteout("wo");
        l1.symlink("wo", sentinelAbs);
        l0.whiteout("w2/wo-dir");
        l1.file("w2/wo-dir/child", "hidden by a whiteout\n");
        l1.symlink("w2/wo-link", "/");
        l2.symlink("w2/wo-dir", sentinelAbs);
        l0.opaqueDir("op");
        l0.symlink("op/link", "../../..");
        l1.symlink("op/sentinel", sentinelAbs);
        l1.file("op/low", "hidden by an opaque dir\n");
        l0.dir("op2");
        l1.opaqueDir("op2");
        l1.symlink("op2/up", "..");
        l2.symlink("op2", sentinelAbs);
        return b.build();
    }

    static Stream<Arguments> cases() {
        return Stream.of(WhiteoutForm.KERNEL, WhiteoutForm.AUFS, WhiteoutForm.XATTR)
                .flatMap(f -> Stream.of(Arguments.of(f, false), Arguments.of(f, true)));
    }

    @ParameterizedTest(name = "{0} upper={1}")
    @MethodSource("cases")
    void symlinksStayLinksAndNothingOutsideTheLayersShows(WhiteoutForm form, boolean withUpper) throws Exception {
        Path dir = fx.newDir("malicious");
        Path sentinel = dir.resolve("sentinel");
        byte[] sentinelContent = writeSentinel(sentinel);
        String sentinelHash = TreeSpec.Content.of(sentinelContent).sha256();
        TreeSpec spec = spec(sentinel.toString());

        List<Path> kLowers = LayerWriter.write(spec, WhiteoutForm.KERNEL, dir.resolve("k-layers"));
        List<Path> jLowers = LayerWriter.write(spec, form, dir.resolve("layers"));
        Optional<Path> kUpper = Optional.empty();
        Optional<Path> kWork = Optional.empty();
        Optional<Path> jUpper = Optional.empty();
        Optional<Path> jWork = Optional.empty();
        if (withUpper) {
            kUpper = Optional.of(dir.resolve("k-upper"));
            kWork = Optional.of(dir.resolve("k-work"));
            jUpper = Optional.of(dir.resolve("upper"));
            jWork = Optional.of(dir.resolve("work"));
            LayerWriter.prepareUpper(spec, kUpper.get(), kWork.get());
            LayerWriter.prepareUpper(spec, jUpper.get(), jWork.get());
        }
        fx.kernel(kLowers, kUpper, kWork, dir.resolve("k-mnt"), false);
        JoverMount jover = fx.jover(jLowers, jUpper, jWork, dir.resolve("mnt"), false);
        Supplier<String> context = () -> "form " + form + ", upper " + withUpper + "\n" + jover.output();

        TreeSnapshot expected = spec.expectedView();
        TreeSnapshot kernel = TreeSnapshot.of(dir.resolve("k-mnt"));
        OverlayAssertions.assertSameTree(expected, kernel, "spec", "kernel", context);

        TreeSnapshot view = TreeSnapshot.of(jover.mountPoint());
        OverlayAssertions.assertSameTree(expected, view, "spec", "jover", context);
        OverlayAssertions.assertConsistent(view, "jover", context);

        // the sentinel never shows: not by name, not by content
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, TreeSnapshot.Entry> e : view.entries().entrySet()) {
            String name = TreeSpec.nameOf(e.getKey());
            if (name.equals(MARKER) || name.equals(SENTINEL_DIR)) {
                leaks.add("listed: /" + Raw.display(e.getKey()));
            }
            if (sentinelHash.equals(e.getValue().sha256())) {
                leaks.add("sentinel content at /" + Raw.display(e.getKey()));
            }
        }
        // nor through a lookup of a name only the sentinel has, below any directory
        for (Map.Entry<String, TreeSnapshot.Entry> e : view.entries().entrySet()) {
            if (e.getValue().type() != 'd') {
                continue;
            }
            String base = Raw.of(jover.mountPoint()) + (e.getKey().isEmpty() ? "" : "/" + e.getKey());
            for (String probe : List.of(MARKER, SENTINEL_DIR, SENTINEL_DIR + "/" + MARKER)) {
                try {
                    Sys.lstat(base + "/" + probe);
                    leaks.add("lookup found /" + Raw.display(TreeSpec.child(e.getKey(), probe)));
                } catch (ErrnoException ex) {
                    if (ex.errno() != Errno.ENOENT) {
                        leaks.add("lookup of /" + Raw.display(TreeSpec.child(e.getKey(), probe)) + ": "
                                + ex.getMessage());
                    }
                }
            }
        }
        assertEquals(List.of(), leaks, context);
        // and the sentinel itself is untouched
        assertEquals(new String(sentinelContent, StandardCharsets.UTF_8),
                Files.readString(sentinel.resolve(MARKER), StandardCharsets.UTF_8));
    }
}
