package jover.differential;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import jover.testing.Environment;
import jover.testing.MountFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Differential property tests against kernel overlayfs (issue 4): random lower layers, random
 * operation sequences replayed on kernel overlayfs and on jover over identical copies, everything
 * observable compared ({@link DifferentialRun}); deliberate differences are the ones in
 * {@link DeliberateDifferences}. Run twice: with passthrough as jover mounts by default, and
 * with passthrough=off, where no passthrough difference is accepted.
 *
 * <p>Defaults fit a CI run; {@code -Djover.diff.examples=2000 -Djover.diff.ops=100} is the big
 * run (see {@link DifferentialProperty} for every knob, and {@link DifferentialMain} to run it
 * outside Maven's fork timeout). {@code -Djover.diff.timeoutMinutes} bounds each test (default
 * 30).
 *
 * <p>Disabled by default until the jover bugs these tests found are fixed (they fail on the
 * first example or so): run with {@code -Djover.diff.enable=true}. The bugs are listed, with
 * minimal reproductions, in the report of the commit that disabled them and in {@link KnownBugs}.
 */
@EnabledIfSystemProperty(named = "jover.diff.enable", matches = "true", disabledReason = "fails on known jover bugs "
        + "(copy-up leaves parent dirs with mtime now; stale nlink after link/copy-up; userxattr copy-up of symlinks "
        + "and fifos EPERM; rename of a lower dir onto a non-empty dir ENOTEMPTY instead of EXDEV; removexattr of a "
        + "missing name copies up; passthrough O_RDONLY|O_TRUNC reads the lower data; hard link names cached apart; "
        + "see KnownBugs): enable with -Djover.diff.enable=true")
class DifferentialTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    private static Callers callers;

    @BeforeAll
    static void start() {
        callers = new Callers();
    }

    @AfterAll
    static void stop() {
        callers.close();
    }

    private void property(boolean passthroughOff) {
        Environment.requireFuseAndKernelOverlay();
        DifferentialProperty p = new DifferentialProperty(DifferentialProperty.Config.fromSystemProperties(
                passthroughOff), fx, callers);
        Duration limit = Duration.ofMinutes(Long.getLong("jover.diff.timeoutMinutes", 30));
        String failure = Assertions.assertTimeoutPreemptively(limit, p::check,
                () -> "the differential run took longer than " + limit + "\n" + callers.diagnostics());
        assertNull(failure, failure);
    }

    @Test
    void joverMatchesKernelOverlayfs_passthroughDefault() {
        property(false);
    }

    @Test
    void joverMatchesKernelOverlayfs_passthroughOff() {
        property(true);
    }
}
