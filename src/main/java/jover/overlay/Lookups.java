package jover.overlay;

import jover.fuse.server.Attributes;
import jover.fuse.server.EntryReply;
import jover.node.Node;
import jover.node.NodeTable;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Stat;

/**
 * Names to nodes: a name resolved through the layers and recorded in the node table, and what
 * the kernel sees of an entry (the overlay's st_ino, nlink and owners). A lookup takes the
 * table's stamp before it reads anything, so a result resolved before a change (a copy-up
 * completing meanwhile) is never merged over it: the table refuses it and the name is resolved
 * again.
 */
final class Lookups {
    private final NodeTable<Entry> nodes;
    private final Resolver resolver;
    private final InodeNumbers inodes;
    private final Owners owners;
    private final boolean hasUpper;

    Lookups(NodeTable<Entry> nodes, Resolver resolver, InodeNumbers inodes, Owners owners, boolean hasUpper) {
        this.nodes = nodes;
        this.resolver = resolver;
        this.inodes = inodes;
        this.owners = owners;
        this.hasUpper = hasUpper;
    }

    /** What the kernel sees of {@code e} with real attributes {@code st}. */
    Attributes attr(Entry e, Stat st) {
        int nlink = e.isMerged() ? 1 : st.nlink();
        return new Attributes(inodes.map(e.idDev(), e.idIno()), st, nlink, owners.shownUid(st.uid()),
                owners.shownGid(st.gid()));
    }

    /** The entry reply handing node {@code n}, which has entry {@code e}, to the kernel. */
    EntryReply reply(Node<Entry> n, Entry e) {
        return new EntryReply(n.id(), attr(e, e.stat()));
    }

    /** Resolves and counts one lookup; a missing name gives a cacheable negative entry (node id 0). */
    EntryReply lookup(Node<Entry> parent, String name) throws ErrnoException {
        while (true) {
            long stamp = nodes.stamp(); // before anything is read: see NodeTable.lookup
            Entry pe = parent.payload();
            if (!pe.isDir()) {
                throw new ErrnoException(Errno.ENOTDIR, "lookup", name);
            }
            Entry fresh;
            try {
                fresh = resolver.lookup(nodes.path(parent), pe.dirLayers(), name);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.ENOENT) {
                    return EntryReply.negative();
                }
                throw e;
            }
            Node<Entry> child = nodes.lookup(parent, name, fresh, Entry::afterLookup, fresh.linkKey(hasUpper), stamp);
            if (child != null) {
                return reply(child, child.payload());
            }
            // the directory or the name's node changed while this was resolved (a copy-up): again
        }
    }

    /** Counts one lookup of a just-made object and answers with it. */
    EntryReply made(Node<Entry> parent, String name, Entry e) {
        Node<Entry> child = nodes.lookup(parent, name, e, (old, f) -> null);
        return reply(child, e);
    }
}
