/**
 * Differential tests of the write path (issue 3): each {@link jover.writes.Scenario} (lower
 * layers, an upper that may already hold entries in kernel format, and a list of operations
 * done through ordinary system calls) runs on identical copies under kernel overlayfs and under
 * jover. {@link jover.writes.ScenarioRun} compares, op by op, the outcome (ok or errno name) and
 * the merged trees; per mount, st_ino against a model of the ops' effects (copy-up keeps it);
 * after unmounting, the upper directories' format (whiteouts, opaque, origin, impure); and both
 * ways, each implementation mounted on the other's upper.
 *
 * <ul>
 *   <li>{@link jover.writes.KernelSideTest}: the kernel alone against the outcomes each scenario
 *       expects (this pins what kernel overlayfs does on this machine and keeps the scenarios
 *       honest while jover's write path is missing).</li>
 *   <li>{@link jover.writes.JoverVsKernelTest}: jover against the kernel, scenario by scenario.</li>
 *   <li>{@link jover.writes.LocksTest}: POSIX and flock locks between two processes.</li>
 * </ul>
 *
 * <p>Unprivileged callers are real child processes ({@code setpriv --reuid --regid --clear-groups},
 * no capabilities) running {@link jover.writes.OpChild} from a world-readable copy of the class
 * path, or a shell script. Run one scenario with {@code -Djover.writes.only=rename2}; print every
 * report with {@code -Djover.writes.verbose=true}. Everything is written inside the tests' own
 * temp dirs; symlinks created point at /nonexistent-jover-test/... or stay relative inside the
 * tree, and nothing is ever written through one.
 */
package jover.writes;
