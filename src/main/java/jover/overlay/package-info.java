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
 * st_ino across filesystems), {@link jover.overlay.Owners} (uid/gid mapping and squashing),
 * {@link jover.overlay.CopyUp} and {@link jover.overlay.Writes} (changes, in kernel format),
 * {@link jover.overlay.OpenFiles} and {@link jover.overlay.Passthrough} (open files) and
 * {@link jover.overlay.OverlayFs} (the request handlers). A node's {@link jover.overlay.Entry}
 * says which real file a name resolves to; hard links of one upper file share a node.
 */
package jover.overlay;
