package jover.overlay;

import java.util.ArrayList;
import java.util.List;
import jover.fuse.server.Caller;
import jover.node.Node;
import jover.node.NodeTable;
import jover.sys.Capabilities;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Sys;

/**
 * Extended attributes of merged entries: read from the topmost real file, changed on the upper
 * copy; overlay-private names are escaped as the kernel escapes them and never shown, and
 * fuse-overlayfs's markers cannot be forged.
 */
final class Xattrs {
    private final NodeTable<Entry> nodes;
    private final Whiteouts whiteouts;
    private final List<LayerReader> readers;
    private final OwnDescriptors own;

    Xattrs(NodeTable<Entry> nodes, Whiteouts whiteouts, List<LayerReader> readers, OwnDescriptors own) {
        this.nodes = nodes;
        this.whiteouts = whiteouts;
        this.readers = readers;
        this.own = own;
    }

    byte[] get(Node<Entry> n, String name) throws ErrnoException {
        if (name.startsWith(Whiteouts.FUSE_OVERLAYFS_PREFIX)) {
            throw new ErrnoException(Errno.ENODATA, "getxattr", name);
        }
        String real = whiteouts.layerXattr(name);
        Entry e = n.payload();
        Fd fd = own.of(n);
        if (fd != null) {
            return Sys.fgetxattr(fd, real);
        }
        LayerReader reader = readers.get(e.layer());
        if (e.isDir()) {
            return reader.getxattr(nodes.path(n), null, real);
        }
        NodeTable.Location<Entry> at = nodes.locate(n);
        return reader.getxattr(at.parentPath(), at.name(), real);
    }

    List<String> list(Caller c, Node<Entry> n) throws ErrnoException {
        Entry e = n.payload();
        List<String> names;
        Fd fd = own.of(n);
        if (fd != null) {
            names = Sys.flistxattr(fd);
        } else if (e.isDir()) {
            names = readers.get(e.layer()).listxattr(nodes.path(n), null);
        } else {
            NodeTable.Location<Entry> at = nodes.locate(n);
            names = readers.get(e.layer()).listxattr(at.parentPath(), at.name());
        }
        // trusted.* names are listed only to callers with CAP_SYS_ADMIN, as the kernel's
        // filesystems do (read from /proc only when there is such a name to show)
        Boolean privileged = null;
        List<String> shown = new ArrayList<>(names.size());
        for (String real : names) {
            String merged = whiteouts.mergedXattr(real);
            if (merged != null && merged.startsWith("trusted.") && privileged == null) {
                privileged = Capabilities.effective(c.pid(), Capabilities.CAP_SYS_ADMIN, c.uid() == 0);
            }
            if (merged != null && (!merged.startsWith("trusted.") || privileged)) {
                shown.add(merged);
            }
        }
        return shown;
    }

    /** Sets ({@code value} given) or removes an xattr on the node's upper copy. */
    void change(Writes w, Node<Entry> n, String name, byte[] value, int flags) throws ErrnoException {
        if (name.startsWith(Whiteouts.FUSE_OVERLAYFS_PREFIX)) {
            throw new ErrnoException(Errno.EOPNOTSUPP, "setxattr", name); // fuse-overlayfs's metadata, read as ours
        }
        String real = whiteouts.layerXattr(name);
        if (value == null && !CopyUp.inUpper(n.payload())) {
            get(n, name); // removing what is not there: ENODATA, and no copy-up (as the kernel)
        }
        Fd fd = own.toChange(n);
        if (fd != null) {
            change(UpperObject.open(fd), real, value, flags);
            return;
        }
        try (Writes.UpperName up = w.upperNameOf(n)) {
            change(up.object(), real, value, flags);
        }
    }

    private static void change(UpperObject o, String real, byte[] value, int flags) throws ErrnoException {
        if (value != null) {
            o.setxattr(real, value, flags);
        } else {
            o.removexattr(real);
        }
    }
}
