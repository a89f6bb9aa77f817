/**
 * Overlay logic: a stack of layers (an optional upper, then lowers, topmost first) merged into
 * one tree the way kernel overlayfs merges them, served through
 * {@link jover.fuse.server.FuseFilesystem} and answered in that interface's own types (nothing
 * here sees a wire struct or an opcode).
 *
 * <p>Layers: every access to a layer is relative to a descriptor of one of its directories:
 * directories are opened with openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, final components
 * with no-follow calls, so a symlink inside a layer is only ever data.
 * {@link jover.overlay.LayerReader} is how the overlay reads one layer (find a name: absent,
 * whited out or present; opaque or not; stat, open, list, readlink, xattrs), over
 * {@link jover.overlay.DirHandles} (cached directory descriptors) and
 * {@link jover.overlay.Whiteouts} (every whiteout and opaque form read);
 * {@link jover.overlay.UpperFormat} is the one writer of whiteouts and opaque marks into the
 * upper, so an upper that refuses the kernel's forms changes one class.
 *
 * <p>Pieces: {@link jover.overlay.Resolver} (a name through the layers),
 * {@link jover.overlay.Lookups} (names into the node table, and the attributes the kernel sees),
 * {@link jover.overlay.MergedListing} and {@link jover.overlay.Listings} (merged readdir),
 * {@link jover.overlay.InodeNumbers} (unique st_ino across filesystems),
 * {@link jover.overlay.FileId} (a real file's identity), {@link jover.overlay.Owners} (uid/gid
 * mapping and squashing), {@link jover.overlay.CopyUp}, {@link jover.overlay.Writes} and
 * {@link jover.overlay.AttributeChanges} (changes, in kernel format),
 * {@link jover.overlay.Opens}, {@link jover.overlay.OpenFiles} and {@link jover.overlay.Passthrough}
 * (open files), and {@link jover.overlay.OverlayFs} (the request handlers, each handing its request on). A node's
 * {@link jover.overlay.Entry} says which real file a name resolves to; it changes only through the
 * node table ({@link jover.node.NodeTable#update} or a lookup the table accepts). Hard links of
 * one upper file share a node.
 *
 * <p>Locks and their order are written in {@link jover.overlay.NodeLocks}. A mount's budgets
 * (descriptors kept, origins cached) come with its {@link jover.overlay.OverlaySettings}.
 */
package jover.overlay;
