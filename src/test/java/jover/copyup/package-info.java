/**
 * Copy-up tests (run as root on real mounts, jover beside kernel overlayfs where the kernel is
 * the reference):
 *
 * <ul>
 *   <li>{@link jover.copyup.SparseCopyUpTest}: a 64 MiB sparse lower file with data extents,
 *       user and trusted xattrs, owner 1234:5678, mode 0640 and an old mtime, copied up by an
 *       append and by each other trigger (chmod, chown, utimes, truncate, setxattr, link,
 *       rename); the upper copy is checked on the host (data, holes kept, xattrs, owner, mode,
 *       mtime, {@code trusted.overlay.origin} bytes, {@code impure} on the parent, the parents'
 *       mtimes left alone) against the lower file and against what kernel overlayfs writes for
 *       the same operation, and st_ino through the mount must not change.</li>
 *   <li>{@link jover.copyup.ConcurrentCopyUpTest}: writers opening one lower file at once make
 *       exactly one copy-up and lose no write; a reader opened before the copy-up sees the new
 *       data, as read(2) on kernel overlayfs does (with passthrough, the documented exception);
 *       writers on sibling files copy their shared ancestors up once.</li>
 *   <li>{@link jover.copyup.OpenUnlinkedCopyUpTest}: a copy-up through a descriptor of a lower
 *       file unlinked meanwhile changes neither the whiteout nor a new file at its name.</li>
 *   <li>{@link jover.copyup.CrashTest}: the daemon is killed with SIGKILL in the middle of many
 *       copy-ups, appends and renames; after a remount on the same upper and work directories
 *       no file is half copied, no work-directory name is visible, the staging area is empty,
 *       and kernel overlayfs mounted on that upper shows the same tree.</li>
 *   <li>{@link jover.copyup.FileLocksTest}: flock(2) and POSIX record locks between two
 *       processes on a file in the mount, also across a copy-up of the locked file.</li>
 * </ul>
 *
 * <p>All data lives in each test's own temp directories ({@link jover.testing.MountFixture});
 * no symlink is created. Each test mounts its own jover (the copy-up counter of
 * {@code jover-stats} counts from the mount).
 */
package jover.copyup;
