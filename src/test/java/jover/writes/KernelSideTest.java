package jover.writes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import jover.testing.Environment;
import jover.testing.MountFixture;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kernel overlayfs alone on each write scenario: every op gives the outcome the scenario
 * expects, st_ino follows the model (copy-up keeps it), the mount stays self-consistent, and a
 * remount on its own upper shows the same tree with the same inode numbers. This is the
 * reference the jover comparison rests on, and it runs whatever state jover is in.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KernelSideTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @ParameterizedTest(name = "{0}")
    @MethodSource("jover.writes.WriteScenarios#selected")
    void kernelDoesWhatTheScenarioSays(Scenario sc) throws Exception {
        Environment.requireKernelOverlay();
        ScenarioRun run = new ScenarioRun(sc, fx, false);
        run.run();
        if (Boolean.getBoolean("jover.writes.verbose")) {
            System.out.println(run.report());
        }
        assertTrue(run.failures().isEmpty(), run::report);
    }
}
