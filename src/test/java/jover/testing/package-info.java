/**
 * Shared tooling of the mount tests (tier 2 and up), run as root on real mounts.
 *
 * <ul>
 *   <li>{@link jover.testing.TreeSpec}: an abstract overlay (lower layers, topmost first) built by
 *       hand or by {@link jover.testing.TreeGenerator} from a seed; {@code expectedView()} is the
 *       model of what a correct overlay shows.</li>
 *   <li>{@link jover.testing.LayerWriter}: writes a spec in a {@link jover.testing.WhiteoutForm}
 *       (kernel, xattr, AUFS, fuse-overlayfs, userxattr).</li>
 *   <li>{@link jover.testing.TreeSnapshot}: walks a mount without following symlinks; equality
 *       of attributes plus per-mount anomalies (d_ino/st_ino, d_type, st_ino collisions,
 *       private xattrs, names listed that do not stat).</li>
 *   <li>{@link jover.testing.KernelOverlay} (the reference) and {@link jover.testing.JoverMount}
 *       (the daemon under test, in its own process, with bounded cleanup: umount, else lazy
 *       unmount plus fusectl abort, then SIGTERM/SIGKILL).</li>
 *   <li>{@link jover.testing.MountFixture}: per-test temp dirs and mounts, released by JUnit after
 *       each test on its own thread; use it with {@code @Timeout(threadMode = SEPARATE_THREAD)}
 *       so a test stuck on a dead mount still gets cleaned up.</li>
 *   <li>{@link jover.testing.Environment}: skip (or, with CI=true, fail) without root, /dev/fuse
 *       or kernel overlayfs.</li>
 *   <li>{@link jover.testing.HostCalls}: the few test-only system calls {@code jover.sys.Sys}
 *       lacks (mkdir/symlink/link/lchown/chmod/utimensat/pwrite/kill on raw byte paths).</li>
 * </ul>
 *
 * <p>Safety: everything written lives in the test's own temp directories; generated absolute
 * symlinks point at /nonexistent-jover-test/... or at the test's own directories, relative ones
 * stay inside the tree (the malicious-layer test, which only reads, is the exception by design);
 * nothing here follows a generated link, least of all with a write.
 */
package jover.testing;
