package jover.differential;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import jover.testing.Environment;
import jover.testing.MountFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
 * <p>Bugs these runs found and that are fixed (each has a test of its own now): copy-up left the
 * copied-up parents with mtime "now"; stale nlink of a directory that a copy-up made merged, and
 * of a link source; EPERM on copy-up of symlinks and fifos with -o userxattr; ENOTEMPTY instead
 * of EXDEV on rename of a lower directory onto a non-empty one; lremovexattr of a missing name
 * copied up; open(O_RDONLY|O_TRUNC) with passthrough read the lower data; trusted.* names
 * listed to unprivileged callers; hard links made through the mount were two kernel inodes
 * (HardLinksTest); an upper directory kept its impure mark after its last origin entry went,
 * and with -o userxattr a copied-up symlink got a new st_ino at once (IdentityTest).
 */
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
