package jover.overlay;

import jover.fuse.server.Attributes;
import jover.fuse.server.SetAttr;
import jover.node.Node;
import jover.node.NodeTable;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Stat;
import jover.sys.Sys;

/**
 * SETATTR: truncate, chown, chmod and utimes of a node's upper object (copied up first), or of
 * the node's own descriptor once its name is gone; owners stored as {@link Owners} maps them.
 */
final class AttributeChanges {
    private final NodeTable<Entry> nodes;
    private final OwnDescriptors ownFds;
    private final OpenFiles files;
    private final Owners owners;
    private final Lookups lookups;

    AttributeChanges(NodeTable<Entry> nodes, OwnDescriptors ownFds, OpenFiles files, Owners owners, Lookups lookups) {
        this.nodes = nodes;
        this.ownFds = ownFds;
        this.files = files;
        this.owners = owners;
        this.lookups = lookups;
    }

    /** Applies {@code a} to node {@code n}; returns its attributes after. */
    Attributes change(Writes w, Node<Entry> n, SetAttr a) throws ErrnoException {
        Fd own = ownFds.toChange(n);
        if (own != null) {
            UpperObject o = UpperObject.open(own);
            apply(o, a);
            Stat st = o.stat();
            return lookups.attr(nodes.update(n, now -> now.withStat(st)), st);
        }
        try (Writes.UpperName up = w.upperNameOf(n)) {
            apply(up.object(), a);
            Stat st = w.refresh(n, up);
            return lookups.attr(n.payload(), st);
        }
    }

    private void apply(UpperObject o, SetAttr a) throws ErrnoException {
        if (a.size() >= 0) {
            OpenFiles.OpenFile f = a.fh() != -1 ? files.get(a.fh()) : null;
            if (f != null && f.writable) {
                Sys.ftruncate(f.fd, a.size());
            } else {
                o.truncate(a.size());
            }
        }
        if (a.changesOwner()) {
            o.chown(a.uid() != -1 ? owners.diskUid(a.uid()) : -1, a.gid() != -1 ? owners.diskGid(a.gid()) : -1);
        }
        if (a.mode() != -1) {
            o.chmod(a.mode());
        }
        if (a.changesTimes()) {
            o.utimens(seconds(a.atime()), nanos(a.atime()), seconds(a.mtime()), nanos(a.mtime()));
        }
    }

    private static long seconds(SetAttr.Time t) {
        return t == null || t.now() ? 0 : t.sec();
    }

    /** The nanoseconds utimensat takes for one time: the value, UTIME_NOW, or UTIME_OMIT when not set. */
    private static long nanos(SetAttr.Time t) {
        if (t == null) {
            return Sys.UTIME_OMIT;
        }
        return t.now() ? Sys.UTIME_NOW : t.nsec();
    }
}
