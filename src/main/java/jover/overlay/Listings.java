package jover.overlay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import jover.fuse.server.Attributes;
import jover.fuse.server.DirSink;
import jover.fuse.server.EntryReply;
import jover.fuse.server.OpenReply;
import jover.node.HandleTable;
import jover.node.Node;
import jover.node.NodeTable;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Linux;

/**
 * Open directories: READDIR and READDIRPLUS of merged directories. A handle's listing is made
 * on its first read from offset 0 and kept until it is read from 0 again; READDIRPLUS looks up
 * each entry it returns (one lookup counted per entry the kernel receives).
 */
final class Listings {
    private final NodeTable<Entry> nodes;
    private final MergedListing listing;
    private final InodeNumbers inodes;
    private final Lookups lookups;
    private final boolean hasUpper;
    private final boolean writable;
    private final HandleTable<OpenDir> dirs = new HandleTable<>();
    /** How many open handles each directory node has. */
    private final ConcurrentHashMap<Long, Integer> openByNode = new ConcurrentHashMap<>();

    /** An open directory: its node, and its listing, built on the first READDIR from offset 0. */
    private static final class OpenDir {
        final long node;
        volatile List<MergedListing.Item> items;

        OpenDir(long node) {
            this.node = node;
        }
    }

    /** @param writable whether readdir may drop a stale impure mark (a writable mount) */
    Listings(NodeTable<Entry> nodes, MergedListing listing, InodeNumbers inodes, Lookups lookups, boolean hasUpper,
             boolean writable) {
        this.nodes = nodes;
        this.listing = listing;
        this.inodes = inodes;
        this.lookups = lookups;
        this.hasUpper = hasUpper;
        this.writable = writable;
    }

    OpenReply open(Node<Entry> n) throws ErrnoException {
        if (!n.payload().isDir()) {
            throw new ErrnoException(Errno.ENOTDIR, "opendir", nodes.path(n));
        }
        openByNode.merge(n.id(), 1, Integer::sum);
        return OpenReply.cachedDirectory(dirs.add(new OpenDir(n.id())));
    }

    void read(Node<Entry> n, long fh, long offset, DirSink sink) throws ErrnoException {
        OpenDir od = dirs.get(fh);
        if (od == null) {
            throw new ErrnoException(Errno.EBADF, "readdir", "fh " + fh);
        }
        List<MergedListing.Item> items = od.items;
        if (items == null || offset == 0) {
            items = withDots(n, listing.list(nodes.path(n), n.payload().dirLayers(),
                    (name, realIno) -> liveIdentity(n, name, realIno), writable));
            od.items = items;
        }
        for (int i = (int) Math.min(offset, items.size()); i < items.size(); i++) {
            MergedListing.Item it = items.get(i);
            if (!sink.plus()) {
                if (!sink.add(it.name(), it.ino(), it.type(), i + 1)) {
                    return;
                }
                continue;
            }
            if (!sink.fits(it.name())) {
                return;
            }
            EntryReply e;
            if (i < 2) {
                e = EntryReply.uncached(Attributes.typeOnly(it.ino(), it.type() << 12));
            } else {
                e = lookups.lookup(n, it.name());
                if (e.nodeId() == 0) {
                    continue; // vanished since the listing was made
                }
            }
            sink.addPlus(it.name(), e, e.attributes().stat().mode() >>> 12, i + 1);
        }
    }

    void release(long fh) {
        OpenDir od = dirs.remove(fh);
        if (od != null) {
            openByNode.computeIfPresent(od.node, (id, count) -> count > 1 ? count - 1 : null);
        }
    }

    /** Whether the kernel holds directory node {@code node} open. */
    boolean isOpen(long node) {
        return openByNode.containsKey(node);
    }

    int size() {
        return dirs.size();
    }

    /** The identity the live upper node of {@code name} in {@code dir} reports, if it has one. */
    private FileId liveIdentity(Node<Entry> dir, String name, long realIno) {
        Node<Entry> child = nodes.child(dir, name);
        if (child == null) {
            return null;
        }
        Entry ce = child.payload();
        return hasUpper && ce.layer() == Layer.UPPER && ce.stat().ino() == realIno ? ce.id() : null;
    }

    private List<MergedListing.Item> withDots(Node<Entry> n, List<MergedListing.Item> entries) {
        List<MergedListing.Item> all = new ArrayList<>(entries.size() + 2);
        Entry e = n.payload();
        all.add(new MergedListing.Item(".", inodes.map(e.idDev(), e.idIno()), Linux.S_IFDIR >>> 12));
        Node<Entry> p = n.parent() != null ? n.parent() : n;
        Entry pe = p.payload();
        all.add(new MergedListing.Item("..", inodes.map(pe.idDev(), pe.idIno()), Linux.S_IFDIR >>> 12));
        all.addAll(entries);
        return all;
    }
}
