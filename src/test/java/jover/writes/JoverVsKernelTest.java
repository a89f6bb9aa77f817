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
 * jover against kernel overlayfs on each write scenario (see {@link ScenarioRun} for what is
 * compared). A failure lists every finding: the op, what the kernel answered and what jover
 * answered, tree differences, inode-number changes, upper-format differences and the cross
 * mounts, then the op log and the daemon's output.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JoverVsKernelTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @ParameterizedTest(name = "{0}")
    @MethodSource("jover.writes.WriteScenarios#selected")
    void joverDoesWhatTheKernelDoes(Scenario sc) throws Exception {
        Environment.requireFuseAndKernelOverlay();
        ScenarioRun run = new ScenarioRun(sc, fx, true);
        run.run();
        if (Boolean.getBoolean("jover.writes.verbose")) {
            System.out.println(run.report());
        }
        assertTrue(run.failures().isEmpty(), run::report);
    }
}
