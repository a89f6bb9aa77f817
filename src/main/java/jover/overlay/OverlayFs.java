package jover.overlay;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import jover.fuse.abi.Fuse;
import jover.fuse.codec.Attr;
import jover.fuse.codec.EntryOut;
import jover.fuse.server.Caller;
import jover.fuse.server.DirSink;
import jover.fuse.server.FuseFilesystem;
import jover.fuse.server.OpenReply;
import jover.node.HandleTable;
import jover.node.Node;
import jover.node.NodeTable;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Stat;
import jover.sys.StatFs;
import jover.sys.Sys;

/**
 * The request handlers of the merged tree. Read-only for now: every changing request answers
 * EROFS (see {@link FuseFilesystem#changeRefused}).
 */
public final class OverlayFs implements FuseFilesystem {
    /** Directory descriptors kept open at most; the process may have 20,000 in all. */
    private static final long MAX_DIR_HANDLES = 4096;

    private final List<Layer> layers;
    private final boolean readOnly;
    private final double timeout;
    private final long timeoutSec;
    private final int timeoutNsec;
    private final Whiteouts whiteouts;
    private final DirHandles handles;
    private final Resolver resolver;
    private final MergedListing listing;
    private final InodeNumbers inodes;
    private final NodeTable<Entry> nodes;
    private final HandleTable<Fd> files = new HandleTable<>();
    private final HandleTable<OpenDir> dirs = new HandleTable<>();

    /** An open directory: its listing, built on the first READDIR from offset 0. */
    private static final class OpenDir {
        volatile List<MergedListing.Item> items;
    }

    public OverlayFs(List<Layer> layers, boolean readOnly, boolean userXattr, double timeoutSeconds)
            throws ErrnoException {
        this.layers = List.copyOf(layers);
        this.readOnly = readOnly;
        this.timeout = timeoutSeconds;
        this.timeoutSec = (long) timeoutSeconds;
        this.timeoutNsec = (int) ((timeoutSeconds - timeoutSec) * 1e9);
        this.whiteouts = new Whiteouts(userXattr, this.layers);
        this.handles = new DirHandles(this.layers, whiteouts, MAX_DIR_HANDLES);
        this.resolver = new Resolver(handles, whiteouts);
        long[] devs = this.layers.stream().mapToLong(Layer::dev).toArray();
        this.inodes = new InodeNumbers(devs);
        this.listing = new MergedListing(handles, whiteouts, inodes);
        int[] all = new int[this.layers.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        Stat rootStat = Sys.stat(this.layers.get(0).root());
        this.nodes = new NodeTable<>(new Entry(rootStat, 0, all), n -> { });
    }

    /** One line of counters, for SIGUSR1 and tests. */
    public String stats() {
        return "nodes=" + nodes.size() + " handles=" + (files.size() + dirs.size()) + " dirhandles=" + handles.size();
    }

    @Override
    public double cacheTimeout() {
        return timeout;
    }

    private Node<Entry> node(long id) throws ErrnoException {
        Node<Entry> n = nodes.get(id);
        if (n == null) {
            throw new ErrnoException(Errno.ESTALE, "node", Long.toString(id));
        }
        return n;
    }

    private Attr attr(Entry e, Stat st) {
        int nlink = e.isMerged() ? 1 : st.nlink();
        return new Attr(inodes.map(st.dev(), st.ino()), st.size(), st.blocks(),
                st.atimeSec(), st.mtimeSec(), st.ctimeSec(), st.atimeNsec(), st.mtimeNsec(), st.ctimeNsec(),
                st.mode(), nlink, st.uid(), st.gid(), st.rdevEncoded(), st.blksize(), 0);
    }

    private EntryOut entryOut(long nodeid, Attr a) {
        return new EntryOut(nodeid, 0, timeoutSec, timeoutNsec, timeoutSec, timeoutNsec, a);
    }

    /** Resolves and counts one lookup; a missing name gives a cacheable negative entry (node id 0). */
    private EntryOut lookupEntry(Node<Entry> parent, String name) throws ErrnoException {
        Entry pe = parent.payload();
        if (!pe.isDir()) {
            throw new ErrnoException(Errno.ENOTDIR, "lookup", name);
        }
        Entry fresh;
        try {
            fresh = resolver.lookup(parent.path(), pe.dirLayers(), name);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return entryOut(0, new Attr(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
            }
            throw e;
        }
        Node<Entry> child = nodes.lookup(parent, name, fresh, (old, f) -> old.sameObject(f) ? f : null);
        return entryOut(child.id(), attr(fresh, fresh.stat()));
    }

    @Override
    public EntryOut lookup(Caller c, long parent, String name) throws ErrnoException {
        return lookupEntry(node(parent), name);
    }

    @Override
    public void forget(long nodeid, long nlookup) {
        nodes.forget(nodeid, nlookup);
    }

    @Override
    public Attr getattr(Caller c, long nodeid, long fh) throws ErrnoException {
        Node<Entry> n = node(nodeid);
        Entry e = n.payload();
        return attr(e, resolver.restat(n.path(), e));
    }

    @Override
    public String readlink(Caller c, long nodeid) throws ErrnoException {
        Node<Entry> n = node(nodeid);
        Entry e = n.payload();
        if (!e.stat().isLink()) {
            throw new ErrnoException(Errno.EINVAL, "readlink", n.path());
        }
        try (DirHandles.Handle dir = handles.acquire(e.layer(), n.parent().path())) {
            return Sys.readlinkAt(dir.fd(), n.name());
        }
    }

    @Override
    public OpenReply open(Caller c, long nodeid, int flags) throws ErrnoException {
        Node<Entry> n = node(nodeid);
        Entry e = n.payload();
        if ((flags & Linux.O_ACCMODE) != Linux.O_RDONLY || (flags & Linux.O_TRUNC) != 0) {
            throw new ErrnoException(Errno.EROFS, "open", n.path());
        }
        if (e.isDir()) {
            throw new ErrnoException(Errno.EISDIR, "open", n.path());
        }
        Fd fd = Sys.openBeneath(layers.get(e.layer()).root(), n.path(), Linux.O_RDONLY | Linux.O_NOFOLLOW);
        // Lower files never change while mounted, so the kernel may keep their cached pages.
        return new OpenReply(files.add(fd), Fuse.FOPEN_KEEP_CACHE, 0);
    }

    @Override
    public int read(Caller c, long nodeid, long fh, long offset, int size, ByteBuffer dst) throws ErrnoException {
        Fd fd = files.get(fh);
        if (fd == null) {
            throw new ErrnoException(Errno.EBADF, "read", "fh " + fh);
        }
        int total = 0;
        while (total < size) {
            dst.limit(size).position(total);
            int n = Sys.pread(fd, dst.slice(), size - total, offset + total);
            if (n == 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    @Override
    public void release(long nodeid, long fh) {
        Fd fd = files.remove(fh);
        if (fd != null) {
            fd.close();
        }
    }

    @Override
    public OpenReply opendir(Caller c, long nodeid, int flags) throws ErrnoException {
        Node<Entry> n = node(nodeid);
        if (!n.payload().isDir()) {
            throw new ErrnoException(Errno.ENOTDIR, "opendir", n.path());
        }
        return new OpenReply(dirs.add(new OpenDir()), Fuse.FOPEN_KEEP_CACHE | Fuse.FOPEN_CACHE_DIR, 0);
    }

    @Override
    public void readdir(Caller c, long nodeid, long fh, long offset, DirSink sink) throws ErrnoException {
        Node<Entry> n = node(nodeid);
        OpenDir od = dirs.get(fh);
        if (od == null) {
            throw new ErrnoException(Errno.EBADF, "readdir", "fh " + fh);
        }
        List<MergedListing.Item> items = od.items;
        if (items == null || offset == 0) {
            items = withDots(n, listing.list(n.path(), n.payload().dirLayers()));
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
            EntryOut e;
            if (i < 2) {
                e = entryOut(0, new Attr(it.ino(), 0, 0, 0, 0, 0, 0, 0, 0, it.type() << 12, 0, 0, 0, 0, 0, 0));
            } else {
                e = lookupEntry(n, it.name());
                if (e.nodeid() == 0) {
                    continue; // vanished since the listing was made
                }
            }
            sink.addPlus(it.name(), e, e.attr().mode() >>> 12, i + 1);
        }
    }

    private List<MergedListing.Item> withDots(Node<Entry> n, List<MergedListing.Item> entries) throws ErrnoException {
        List<MergedListing.Item> all = new ArrayList<>(entries.size() + 2);
        Entry e = n.payload();
        all.add(new MergedListing.Item(".", inodes.map(e.stat().dev(), e.stat().ino()), Linux.S_IFDIR >>> 12));
        Node<Entry> p = n.parent() != null ? n.parent() : n;
        Entry pe = p.payload();
        all.add(new MergedListing.Item("..", inodes.map(pe.stat().dev(), pe.stat().ino()), Linux.S_IFDIR >>> 12));
        all.addAll(entries);
        return all;
    }

    @Override
    public void releasedir(long nodeid, long fh) {
        dirs.remove(fh);
    }

    @Override
    public StatFs statfs(Caller c, long nodeid) throws ErrnoException {
        return Sys.statfs(layers.get(0).root());
    }

    @Override
    public byte[] getxattr(Caller c, long nodeid, String name) throws ErrnoException {
        if (name.startsWith(Whiteouts.FUSE_OVERLAYFS_PREFIX)) {
            throw new ErrnoException(Errno.ENODATA, "getxattr", name);
        }
        String real = whiteouts.layerXattr(name);
        Node<Entry> n = node(nodeid);
        Entry e = n.payload();
        if (e.isDir()) {
            try (DirHandles.Handle dir = handles.acquire(e.layer(), n.path())) {
                return Sys.fgetxattr(dir.fd(), real);
            }
        }
        try (DirHandles.Handle dir = handles.acquire(e.layer(), n.parent().path())) {
            return Sys.getxattrAt(dir.fd(), n.name(), real);
        }
    }

    @Override
    public List<String> listxattr(Caller c, long nodeid) throws ErrnoException {
        Node<Entry> n = node(nodeid);
        Entry e = n.payload();
        List<String> names;
        if (e.isDir()) {
            try (DirHandles.Handle dir = handles.acquire(e.layer(), n.path())) {
                names = Sys.flistxattr(dir.fd());
            }
        } else {
            try (DirHandles.Handle dir = handles.acquire(e.layer(), n.parent().path())) {
                names = Sys.listxattrAt(dir.fd(), n.name());
            }
        }
        List<String> shown = new ArrayList<>(names.size());
        for (String real : names) {
            String merged = whiteouts.mergedXattr(real);
            if (merged != null) {
                shown.add(merged);
            }
        }
        return shown;
    }

    @Override
    public void access(Caller c, long nodeid, int mask) throws ErrnoException {
        Node<Entry> n = node(nodeid);
        if ((mask & Linux.W_OK) != 0 && readOnly) {
            throw new ErrnoException(Errno.EROFS, "access", n.path());
        }
    }

    /** Closes every cached descriptor (at shutdown). */
    public void close() {
        handles.clear();
    }
}
