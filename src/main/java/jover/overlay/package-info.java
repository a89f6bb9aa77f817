/**
 * Overlay logic: a stack of layers (an optional upper, then lowers, topmost first) merged into
 * one tree the way kernel overlayfs merges them, served through
 * {@link jover.fuse.server.FuseFilesystem}.
 *
 * <p>Every access to a layer is relative to that layer's root descriptor: directories are opened
 * with openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, final components with no-follow calls, so a
 * symlink inside a layer is only ever data. Pieces: {@link jover.overlay.Layer} (one layer),
 * {@link jover.overlay.DirHandles} (cached directory descriptors), {@link jover.overlay.Resolver}
 * (lookup through the layers), {@link jover.overlay.Whiteouts} (the whiteout and opaque forms),
 * {@link jover.overlay.MergedListing} (merged readdir), {@link jover.overlay.InodeNumbers} (unique
 * st_ino across filesystems) and {@link jover.overlay.OverlayFs} (the request handlers).
 */
package jover.overlay;
