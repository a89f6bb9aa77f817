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
 * no capabilities) running {@link jover.writes.OpChild} (one JVM per user for a whole scenario)
 * from a world-readable copy of the class path, or a shell script. Run one scenario with {@code -Djover.writes.only=rename2}; print every
 * report with {@code -Djover.writes.verbose=true}. Everything is written inside the tests' own
 * temp dirs; symlinks created point at /nonexistent-jover-test/... or stay relative inside the
 * tree, and nothing is ever written through one.
 *
 * <p>Run: {@code mvn -q test -Dtest='jover.writes.*Test'} (about two minutes as root).
 *
 * <p>Kernel overlayfs behaviour found on this machine (6.18, default options), pinned by the
 * scenarios' expected outcomes or handled in {@link jover.writes.ScenarioRun}:
 * <ul>
 *   <li>The first lookup of a merged directory whose upper part has no trusted.overlay.origin
 *       (an upper written by hand) writes one and marks the parent impure: a read-only walk
 *       changes the upper. Until then readdir's d_ino of that directory (the upper's) differs
 *       from its st_ino (the lower's). The runner therefore primes each upper with one kernel walk.</li>
 *   <li>The kernel writes trusted.overlay.uuid on the upper root at its first mount (left out of
 *       the format comparison), and impure=y on every directory a copied-up entry lives in.</li>
 *   <li>As root, setxattr of trusted.overlay.X through the mount succeeds: it is stored escaped
 *       (trusted.overlay.overlay.X) and listed and read back as trusted.overlay.X; removing
 *       trusted.overlay.opaque from a real opaque directory gives ENODATA.</li>
 *   <li>Copy-up keeps holes only at 1 MiB granularity: data is copied in 1 MiB chunks and
 *       SEEK_DATA is used only between chunks, so a hole inside a chunk that has data is filled
 *       (hence {@link jover.writes.Ops#dataChunks} after a copy-up).</li>
 *   <li>Copy-up of a lower file with several hard links (index=off) writes no origin xattr, and
 *       its st_ino becomes the upper inode's: st_ino does change across this copy-up. The other
 *       lower names keep the old number and nlink 2.</li>
 *   <li>read(2) through a descriptor opened read-only before another descriptor's write copied
 *       the file up returns the new data; fstat through it shows the new size.</li>
 *   <li>fstat through a descriptor of a never-copied-up lower file after another file was
 *       renamed over its name reports nlink 1 (the lower file is still linked), not 0.</li>
 *   <li>An upper-only directory renamed into a directory that has a lower part, or moved by
 *       RENAME_EXCHANGE, is marked opaque; renaming an opaque upper directory (one made over a
 *       whiteout, say) is allowed, only directories with a lower part give EXDEV.</li>
 *   <li>Copying an entry up restores its parent's times: creating {@code a/b/new} in lower-only
 *       directories leaves the mtimes of {@code /}, {@code a} (and so on) as they were; only the
 *       directory the entry is created in gets a new mtime. O_TMPFILE in a lower directory
 *       copies the directory up even when the file is never linked.</li>
 *   <li>mknod of a character device 0/0 through the mount is EPERM; renameat2 with
 *       RENAME_WHITEOUT through the mount is EINVAL.</li>
 *   <li>chown by root clears set-uid and set-gid (with group execute); truncate by root keeps
 *       them; a write by an unprivileged caller clears both; chmod g+s by a caller outside the
 *       file's group silently drops the set-gid bit.</li>
 * </ul>
 */
package jover.writes;
