/**
 * The {@code jover} command line: parsing, validation and dispatch; nothing here serves a mount.
 *
 * <p>This package owns the grammar ({@link jover.cli.Main}: {@code mount}, {@code umount},
 * {@code help}, and the command-less fuse-overlayfs / mount.fuse3 forms {@code jover -o OPTS TARGET}
 * and {@code jover SOURCE TARGET -o OPTS}), the hand-written {@code -o} parser
 * ({@code MountOptions}: quotes, {@code \:} escapes, empty items, warnings for unknown keys) and
 * the checks made before mounting ({@code MountValidator}: layers, mount point, root, /dev/fuse).
 * Its one product is a validated {@link jover.session.MountConfig}, handed to
 * {@link jover.daemon.Daemon}, which serves it in a {@link jover.session.MountSession}. No environment variable changes what is mounted;
 * only {@code JOVER_DEBUG=1} adds stack traces to internal errors.
 *
 * <p>Output contract: every refusal is one line on stderr starting with "jover: " that says what
 * is wrong and what to do, and never a stack trace. Exit codes: 0 success (or help/version),
 * 1 refused or failed, 2 command-line syntax error (followed by a "Try 'jover ... --help'" line),
 * 70 internal error. Warnings (ignored options) are printed by this package before serving.
 */
package jover.cli;
