/**
 * Differential property tests against kernel overlayfs (tier 3 of ARCHITECTURE.md, issue 4).
 *
 * <p>QuickTheories generates {@link jover.differential.Example}s: lower layers
 * ({@link jover.differential.LowerTree}: 1 to 4 layers over a pool of about 20 paths in 3 levels,
 * so names collide; files empty, small, over 64 KiB and sparse; directories, opaque ones,
 * whiteouts, symlinks, hard links, fifos, user xattrs, varied modes and owners), the whiteout
 * form jover's copy is written in, a umask, and a list of {@link jover.differential.Op}s. Each
 * example runs on kernel overlayfs (its layers in kernel format) and on jover (in the form under
 * test), over fresh copies, through two long-lived {@link jover.differential.Executor} processes
 * (root, and a real unprivileged user) that make ordinary system calls;
 * {@link jover.differential.DifferentialRun} compares every outcome, the merged trees and st_ino
 * patterns after every step, then the upper directories and each upper under the other
 * implementation. The only accepted differences are in
 * {@link jover.differential.DeliberateDifferences} (and docs/differences.md). A failure prints
 * QuickTheories' seed, its shrunk example and a further minimized reproduction.
 *
 * <p>{@link jover.differential.DifferentialTest} runs the property with passthrough as jover
 * mounts by default and with passthrough=off, in every build.
 * {@link jover.differential.DifferentialMain} runs it outside Surefire (long runs, exploration with
 * {@code -Djover.diff.keepGoing=true}); {@link jover.differential.DeliberateDifferencesPinTest}
 * pins the deliberate difference the random runs cannot meet.
 *
 * <p>Safety, since these tests run as root: symlink targets in layers and operations are relative
 * and downward (no "..") or under /nonexistent-jover-test, which must not exist; changing calls
 * never follow a symlink in any path component (see {@link jover.differential.Executor});
 * everything lives in the tests' temp dirs, removed without following symlinks or crossing mounts.
 */
package jover.differential;
