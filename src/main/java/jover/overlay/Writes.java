package jover.overlay;

import jover.fuse.server.Caller;
import jover.node.Node;
import jover.node.NodeTable;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Stat;
import jover.sys.Sys;

/**
 * The changing operations on the merged tree, written into the upper layer in kernel overlayfs's
 * format: character-device 0/0 whiteouts, "opaque" on a directory made where a whiteout stood,
 * new objects built in the work directory with the caller's owner and renamed into place.
 * Callers (the kernel, with default_permissions) have already checked permissions; the kernel
 * also holds the directory locks that keep two changes of one name apart.
 */
final class Writes {

    private final NodeTable<Entry> nodes;
    private final DirHandles handles;
    private final Resolver resolver;
    private final MergedListing listing;
    private final CopyUp copyUp;
    private final WorkDir work;
    private final UpperFormat format;
    private final Owners owners;

    Writes(NodeTable<Entry> nodes, DirHandles handles, Resolver resolver, MergedListing listing, CopyUp copyUp,
           WorkDir work, Whiteouts whiteouts, Owners owners) {
        this.owners = owners;
        this.nodes = nodes;
        this.handles = handles;
        this.resolver = resolver;
        this.listing = listing;
        this.copyUp = copyUp;
        this.work = work;
        this.format = new UpperFormat(whiteouts);
    }

    /** The entry {@code name} resolves to in directory node {@code dir}, or null. */
    Entry find(Node<Entry> dir, String name) throws ErrnoException {
        try {
            return resolver.lookup(nodes.path(dir), dir.payload().dirLayers(), name);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    private boolean visibleBelow(Node<Entry> dir, String name) throws ErrnoException {
        return resolver.visibleBelowUpper(nodes.path(dir), dir.payload().dirLayers(), name);
    }

    /** A directory in the upper layer: copies {@code dir} up and opens it. Close the handle. */
    DirHandles.Handle upperDir(Node<Entry> dir) throws ErrnoException {
        copyUp.ensure(dir);
        return handles.acquire(Layer.UPPER, nodes.path(dir));
    }

    // ---- creating ----

    /** How to make a new object in the work directory under a temporary name. */
    @FunctionalInterface
    interface Maker {
        void make(Fd work, String tmp) throws ErrnoException;
    }

    /**
     * Makes a new object {@code name} in directory {@code dir}: built by {@code maker} in the work
     * directory, given the caller's owner (the directory's group where it is set-group-id) and
     * {@code mode} (-1: leave as made), made opaque if it is a directory standing where a
     * whiteout stood, then renamed into the upper. Returns the new object's entry.
     */
    Entry create(Caller c, Node<Entry> dir, String name, boolean isDir, int mode, Maker maker) throws ErrnoException {
        if (find(dir, name) != null) {
            throw new ErrnoException(Errno.EEXIST, "create", name);
        }
        String tmp = work.tempName();
        Fd w = work.fd();
        try (DirHandles.Handle up = upperDir(dir)) {
            boolean overWhiteout = format.isWhiteout(up.fd(), name);
            Stat parent = Sys.stat(up.fd());
            boolean inheritGroup = (parent.mode() & Linux.S_ISGID) != 0;
            try {
                maker.make(w, tmp);
                Sys.chownAt(w, tmp, ownerFor(c), groupFor(c, parent));
                if (mode >= 0) {
                    int m = mode & 07777;
                    Sys.chmodAt(w, tmp, isDir && inheritGroup ? m | Linux.S_ISGID : m);
                }
                if (isDir && overWhiteout) {
                    format.markOpaque(w, tmp);
                }
                publish(up.fd(), name, tmp, isDir, overWhiteout);
            } catch (ErrnoException | RuntimeException e) {
                discard(tmp);
                throw e;
            }
            return Entry.of(Sys.statAt(up.fd(), name), Layer.UPPER, isDir ? new int[] {Layer.UPPER} : null);
        }
    }

    /** The stored owner of a new object: the caller's uid, mapped back to the layers' ids. */
    int ownerFor(Caller c) {
        return owners.diskUid(c.uid());
    }

    /** The stored group of a new object: the directory's where it is set-group-id, else the caller's. */
    int groupFor(Caller c, Stat parentDir) {
        return (parentDir.mode() & Linux.S_ISGID) != 0 ? parentDir.gid() : owners.diskGid(c.gid());
    }

    /** Renames a finished object from the work directory to {@code name}, over a whiteout if one is there. */
    private void publish(Fd upperDir, String name, String tmp, boolean isDir, boolean overWhiteout)
            throws ErrnoException {
        Fd w = work.fd();
        if (!overWhiteout) {
            Sys.renameAt(w, tmp, upperDir, name, Linux.RENAME_NOREPLACE);
        } else if (!isDir) {
            Sys.renameAt(w, tmp, upperDir, name, 0); // replaces the whiteout in one step
        } else {
            Sys.renameAt(w, tmp, upperDir, name, Linux.RENAME_EXCHANGE); // a directory cannot replace a device
            Sys.unlinkAt(w, tmp, 0);
        }
    }

    /**
     * A new hard link {@code newName} in {@code dir} to the file of node {@code old}; {@code anon}
     * is the descriptor of an O_TMPFILE file that has no name yet (else null).
     */
    Entry link(Node<Entry> old, Fd anon, Node<Entry> dir, String newName) throws ErrnoException {
        if (find(dir, newName) != null) {
            throw new ErrnoException(Errno.EEXIST, "link", newName);
        }
        Entry src = anon != null ? old.payload() : copyUp.ensure(old);
        if (src.isDir()) {
            throw new ErrnoException(Errno.EPERM, "link", old.name());
        }
        NodeTable.Location<Entry> at = nodes.locate(old);
        try (DirHandles.Handle from = handles.acquire(Layer.UPPER, at.parentPath()); DirHandles.Handle up = upperDir(dir)) {
            boolean overWhiteout = format.isWhiteout(up.fd(), newName);
            Fd target = overWhiteout ? work.fd() : up.fd();
            String name = overWhiteout ? work.tempName() : newName;
            if (anon != null) {
                Sys.linkFd(anon, target, name);
            } else {
                Sys.linkAt(from.fd(), at.name(), target, name);
            }
            if (overWhiteout) {
                Sys.renameAt(work.fd(), name, up.fd(), newName, 0);
            }
            if (src.hasOtherIdentity()) {
                copyUp.markImpure(up.fd()); // an entry with an origin now lives here
            }
            Stat st = Sys.statAt(up.fd(), newName);
            nodes.update(old, now -> now.withStat(st));
            return Entry.of(st, Layer.UPPER, null).withIdentity(src.id());
        }
    }

    // ---- removing ----

    void unlink(Node<Entry> dir, String name) throws ErrnoException {
        Entry e = find(dir, name);
        if (e == null) {
            throw new ErrnoException(Errno.ENOENT, "unlink", name);
        }
        if (e.isDir()) {
            throw new ErrnoException(Errno.EISDIR, "unlink", name);
        }
        remove(dir, name, e);
    }

    void rmdir(Node<Entry> dir, String name) throws ErrnoException {
        Entry e = find(dir, name);
        if (e == null) {
            throw new ErrnoException(Errno.ENOENT, "rmdir", name);
        }
        if (!e.isDir()) {
            throw new ErrnoException(Errno.ENOTDIR, "rmdir", name);
        }
        String path = Resolver.childPath(nodes.path(dir), name);
        if (!listing.list(path, e.dirLayers()).isEmpty()) {
            throw new ErrnoException(Errno.ENOTEMPTY, "rmdir", name);
        }
        remove(dir, name, e);
        handles.invalidateTree(Layer.UPPER, path);
    }

    /**
     * Removes {@code name}: its upper object goes (a directory with the whiteouts it may hold),
     * and a whiteout takes its place where the name is still visible below.
     */
    private void remove(Node<Entry> dir, String name, Entry e) throws ErrnoException {
        boolean below = visibleBelow(dir, name);
        try (DirHandles.Handle up = upperDir(dir)) {
            if (!CopyUp.inUpper(e)) {
                format.makeWhiteout(up.fd(), name);
            } else if (!e.isDir() && !below) {
                Sys.unlinkAt(up.fd(), name, 0);
            } else {
                String tmp = work.tempName();
                moveToWork(up.fd(), name, tmp, below);
                work.remove(tmp);
            }
        }
        nodes.detach(dir, name);
    }

    /**
     * Moves {@code name} out of an upper directory into the work directory as {@code tmp},
     * leaving a whiteout in its place in the same step when {@code whiteout} is set.
     */
    private void moveToWork(Fd upperDir, String name, String tmp, boolean whiteout) throws ErrnoException {
        if (whiteout) {
            format.moveOutLeavingWhiteout(upperDir, name, work.fd(), tmp);
        } else {
            Sys.renameAt(upperDir, name, work.fd(), tmp, 0);
        }
    }

    private void discard(String tmp) {
        try {
            work.remove(tmp);
        } catch (ErrnoException ignored) {
            // never made, or debris the next mount removes
        }
    }

    // ---- renaming ----

    /** Whether a directory entry has parts in a lower layer (then it cannot move: EXDEV, as redirect_dir=off). */
    private static boolean hasLowerDir(Entry e) {
        if (!e.isDir()) {
            return false;
        }
        for (int l : e.dirLayers()) {
            if (l != 0) {
                return true;
            }
        }
        return !CopyUp.inUpper(e);
    }

    void rename(Node<Entry> dir, String name, Node<Entry> newDir, String newName, int flags) throws ErrnoException {
        if ((flags & ~(Linux.RENAME_NOREPLACE | Linux.RENAME_EXCHANGE)) != 0
                || (flags & Linux.RENAME_NOREPLACE) != 0 && (flags & Linux.RENAME_EXCHANGE) != 0) {
            throw new ErrnoException(Errno.EINVAL, "rename", name);
        }
        boolean exchange = (flags & Linux.RENAME_EXCHANGE) != 0;
        Entry src = find(dir, name);
        if (src == null) {
            throw new ErrnoException(Errno.ENOENT, "rename", name);
        }
        Entry dst = find(newDir, newName);
        if (dst == null && exchange) {
            throw new ErrnoException(Errno.ENOENT, "rename", newName);
        }
        if (dst != null && (flags & Linux.RENAME_NOREPLACE) != 0) {
            throw new ErrnoException(Errno.EEXIST, "rename", newName);
        }
        if (dir == newDir && name.equals(newName)) {
            return;
        }
        String dstPath = Resolver.childPath(nodes.path(newDir), newName);
        // The kernel's order: type checks (the VFS's), then EXDEV for a directory with a lower
        // part (before the target is looked at), then ENOTEMPTY.
        if (dst != null && !exchange) {
            if (src.isDir() && !dst.isDir()) {
                throw new ErrnoException(Errno.ENOTDIR, "rename", newName);
            }
            if (!src.isDir() && dst.isDir()) {
                throw new ErrnoException(Errno.EISDIR, "rename", newName);
            }
        }
        if (hasLowerDir(src) || exchange && hasLowerDir(dst)) {
            throw new ErrnoException(Errno.EXDEV, "rename", name);
        }
        if (dst != null && !exchange && dst.isDir() && !listing.list(dstPath, dst.dirLayers()).isEmpty()) {
            throw new ErrnoException(Errno.ENOTEMPTY, "rename", newName);
        }
        // Hold a node for each side while copying up (the kernel has them; counts stay balanced).
        Node<Entry> srcNode = nodes.lookup(dir, name, src, (o, f) -> o.afterLookup(f) != null ? o : null, src.linkKey(true),
                NodeTable.CURRENT);
        Node<Entry> dstNode = exchange
                ? nodes.lookup(newDir, newName, dst, (o, f) -> o.afterLookup(f) != null ? o : null, dst.linkKey(true),
                        NodeTable.CURRENT) : null;
        try {
            renameCopiedUp(dir, name, newDir, newName, srcNode, dstNode, dst);
        } finally {
            nodes.forget(srcNode.id(), 1);
            if (dstNode != null) {
                nodes.forget(dstNode.id(), 1);
            }
        }
    }

    private void renameCopiedUp(Node<Entry> dir, String name, Node<Entry> newDir, String newName,
                                Node<Entry> srcNode, Node<Entry> dstNode, Entry dst) throws ErrnoException {
        String srcPath = nodes.path(srcNode);
        String dstPath = Resolver.childPath(nodes.path(newDir), newName);
        boolean srcBelow = visibleBelow(dir, name);
        Entry src = copyUp.ensure(srcNode);
        if (dstNode != null) {
            copyUp.ensure(dstNode);
        }
        boolean opaque;
        try (DirHandles.Handle from = upperDir(dir); DirHandles.Handle to = upperDir(newDir)) {
            // impure before the move (as the kernel), so no crash leaves an origin in an unmarked directory
            if (hasOrigin(src)) {
                copyUp.markImpure(to.fd());
            }
            if (dstNode != null && hasOrigin(dstNode.payload())) {
                copyUp.markImpure(from.fd());
            }
            Move m = new Move(from.fd(), name, to.fd(), newName);
            opaque = dstNode != null ? exchangeUpper(m, dir, newDir, src, dstNode, dst)
                    : moveUpper(m, newDir, src, dst, srcBelow);
        }
        if (src.isDir()) {
            handles.invalidateTree(Layer.UPPER, srcPath);
        }
        if (dst != null && dst.isDir()) {
            handles.invalidateTree(Layer.UPPER, dstPath);
        }
        nodes.move(dir, name, newDir, newName, dstNode != null);
        if (opaque) {
            nodes.update(srcNode, Writes::opaqueUpperDir);
        }
    }

    /** A rename in the upper layer: {@code name} in {@code from} to {@code newName} in {@code to}. */
    private record Move(Fd from, String name, Fd to, String newName) {
    }

    /**
     * RENAME_EXCHANGE of two upper objects; a directory moved into a merged directory is made
     * opaque there. Returns whether the source was made opaque.
     */
    private boolean exchangeUpper(Move m, Node<Entry> dir, Node<Entry> newDir, Entry src, Node<Entry> dstNode,
                                  Entry dst) throws ErrnoException {
        Sys.renameAt(m.from(), m.name(), m.to(), m.newName(), Linux.RENAME_EXCHANGE);
        boolean opaque = false;
        if (src.isDir() && newDir.payload().isMerged() && !format.isMarkedOpaque(m.to(), m.newName())) {
            format.markOpaque(m.to(), m.newName());
            opaque = true;
        }
        if (dst.isDir() && dir.payload().isMerged() && !format.isMarkedOpaque(m.from(), m.name())) {
            format.markOpaque(m.from(), m.name());
            nodes.update(dstNode, Writes::opaqueUpperDir);
        }
        return opaque;
    }

    /**
     * A plain rename of an upper object, over whatever {@code dst} is (an empty upper directory
     * is cleared first), leaving a whiteout where a lower object stays visible. An upper-only
     * directory moved into a merged one is made opaque (as the kernel does), so nothing from the
     * lower layers can merge into it at its new name. Returns whether it was made opaque.
     */
    private boolean moveUpper(Move m, Node<Entry> newDir, Entry src, Entry dst, boolean srcBelow)
            throws ErrnoException {
        String cleared = null;
        if (dst != null && dst.isDir() && CopyUp.inUpper(dst)) {
            cleared = clearEmptyDir(m.to(), m.newName()); // it may still hold whiteouts
        }
        if (src.isDir() && format.isWhiteout(m.to(), m.newName())) {
            Sys.renameAt(m.from(), m.name(), m.to(), m.newName(), Linux.RENAME_EXCHANGE);
            if (!srcBelow) {
                Sys.unlinkAt(m.from(), m.name(), 0); // the whiteout came back to the old name
            }
        } else if (srcBelow) {
            format.renameLeavingWhiteout(m.from(), m.name(), m.to(), m.newName());
        } else {
            Sys.renameAt(m.from(), m.name(), m.to(), m.newName(), 0);
        }
        boolean opaque = false;
        if (src.isDir() && newDir.payload().isMerged() && !format.isMarkedOpaque(m.to(), m.newName())) {
            format.markOpaque(m.to(), m.newName());
            opaque = true;
        }
        if (cleared != null) {
            work.remove(cleared);
        }
        return opaque;
    }

    /**
     * Replaces the empty-looking upper directory {@code name} (it may hold whiteouts, which a
     * rename over it would refuse) with an empty opaque one of the same mode and owner, in one
     * exchange, as the kernel's ovl_clear_empty does: a crash before the rename that follows
     * leaves the same view. Returns the work name the old directory now has, to remove after.
     */
    private String clearEmptyDir(Fd dir, String name) throws ErrnoException {
        Stat st = Sys.statAt(dir, name);
        String tmp = work.tempName();
        Fd w = work.fd();
        Sys.mkdirAt(w, tmp, 0700);
        Sys.chownAt(w, tmp, st.uid(), st.gid());
        Sys.chmodAt(w, tmp, st.mode() & 07777);
        format.markOpaque(w, tmp);
        Sys.renameAt(w, tmp, dir, name, Linux.RENAME_EXCHANGE);
        return tmp;
    }

    private static Entry opaqueUpperDir(Entry e) {
        return new Entry(e.stat(), Layer.UPPER, new int[] {Layer.UPPER}, e.idDev(), e.idIno());
    }

    private static boolean hasOrigin(Entry e) {
        return e.hasOtherIdentity();
    }

    // ---- attributes ----

    /** An upper object by name: its upper directory (a handle to close) and its name there. */
    record UpperName(DirHandles.Handle dir, String name) implements AutoCloseable {
        UpperObject object() {
            return UpperObject.named(dir.fd(), name);
        }

        @Override
        public void close() {
            dir.close();
        }
    }

    /** Node {@code n}'s upper object, copied up first, where its name is now ("." in "" for the root). */
    UpperName upperNameOf(Node<Entry> n) throws ErrnoException {
        copyUp.ensure(n);
        if (n.parent() == null) {
            return new UpperName(handles.acquire(Layer.UPPER, ""), ".");
        }
        NodeTable.Location<Entry> at = nodes.locate(n);
        return new UpperName(handles.acquire(Layer.UPPER, at.parentPath()), at.name());
    }

    /** Fresh attributes of a node's upper object; the node's entry is updated with them. */
    Stat refresh(Node<Entry> n, UpperName at) throws ErrnoException {
        Stat st = Sys.statAt(at.dir().fd(), at.name());
        nodes.update(n, now -> now.withStat(st));
        return st;
    }
}
