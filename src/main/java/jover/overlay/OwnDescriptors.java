package jover.overlay;

import java.util.concurrent.ConcurrentHashMap;
import jover.node.Node;
import jover.node.NodeTable;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;

/**
 * How to reach a node whose name is gone (unlinked, or now naming another file): through a
 * descriptor of its own, its O_TMPFILE descriptor, the descriptor kept for a removed directory
 * the kernel still holds open, or one of its open files, so that changes and reads never reach
 * whatever has the name now. Keeps the first two, by node id, until the node is freed.
 */
final class OwnDescriptors {
    private final NodeTable<Entry> nodes;
    private final OpenFiles files;
    /** Nodes of O_TMPFILE files: reached through a descriptor of their own until linked. */
    private final ConcurrentHashMap<Long, Fd> anonymous = new ConcurrentHashMap<>();
    /** Directories removed while open (O_PATH descriptors): fstat of the open handle still works. */
    private final ConcurrentHashMap<Long, Fd> removedDirs = new ConcurrentHashMap<>();

    OwnDescriptors(NodeTable<Entry> nodes, OpenFiles files) {
        this.nodes = nodes;
        this.files = files;
    }

    /** Keeps {@code fd} as the descriptor of the O_TMPFILE file of node {@code id}. */
    void addAnonymous(long id, Fd fd) {
        anonymous.put(id, fd);
    }

    /** The O_TMPFILE descriptor of node {@code id}, or null. */
    Fd anonymous(long id) {
        return anonymous.get(id);
    }

    /** Keeps {@code fd} for directory node {@code id}, whose name is about to go while it is open. */
    void keepRemovedDir(long id, Fd fd) {
        Fd old = removedDirs.put(id, fd);
        if (old != null) {
            old.close();
        }
    }

    /** The node left the table: the descriptors kept for it, if any, are closed. */
    void freed(long id) {
        for (Fd fd : new Fd[] {anonymous.remove(id), removedDirs.remove(id)}) {
            if (fd != null) {
                fd.close();
            }
        }
    }

    /**
     * A descriptor of the node's own for a node whose name is gone, writable ones first; null
     * while the node still has its name. ESTALE when it has no descriptor.
     */
    Fd of(Node<Entry> n) throws ErrnoException {
        if (n.parent() == null || nodes.child(n.parent(), n.name()) == n) {
            return null;
        }
        Fd fd = anonymous.get(n.id());
        if (fd == null) {
            fd = removedDirs.get(n.id());
        }
        if (fd == null) {
            fd = files.anyOpen(n.id());
        }
        if (fd == null) {
            throw new ErrnoException(Errno.ESTALE, "node", nodes.path(n));
        }
        return fd;
    }

    /** {@link #of} for a change: only an upper file may be changed (ENOENT for an unlinked lower file). */
    Fd toChange(Node<Entry> n) throws ErrnoException {
        Fd fd = of(n);
        if (fd != null && !CopyUp.inUpper(n.payload())) {
            throw new ErrnoException(Errno.ENOENT, "change", nodes.path(n)); // an unlinked lower file stays as it is
        }
        return fd;
    }
}
