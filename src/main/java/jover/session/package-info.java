/**
 * Mount sessions: what one mount owns, apart from what the process owns. A
 * {@link jover.session.MountSession} opens the layers of a validated
 * {@link jover.session.MountConfig}, builds the overlay ({@link jover.overlay.OverlayFs}, with
 * its node table and caches bounded by {@link jover.overlay.OverlaySettings.Budgets}), mounts it
 * over its own FUSE connection with its own workers ({@link jover.fuse.server.FuseServer}),
 * counts what it serves, and unmounts. Nothing here touches process state (session, stdio,
 * signals, umask, limits): that is {@link jover.daemon}'s, so several sessions can share one
 * process.
 */
package jover.session;
