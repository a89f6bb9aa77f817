package jover.overlay;

import java.nio.ByteBuffer;
import java.util.List;
import jover.fuse.server.Attributes;
import jover.fuse.server.Caller;
import jover.fuse.server.DirSink;
import jover.fuse.server.EntryReply;
import jover.fuse.server.FuseFilesystem;
import jover.fuse.server.Kernel;
import jover.fuse.server.OpenReply;
import jover.fuse.server.SetAttr;
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
 * The request handlers of the merged tree, each handing its request to the piece that owns it:
 * names in {@link Lookups}, directories in {@link Listings}, open files in {@link Opens},
 * {@link OpenFiles} and {@link Passthrough}, xattrs in {@link Xattrs}, changes in {@link Writes},
 * {@link AttributeChanges} and {@link CopyUp}. Without an upper layer (or with -o ro) every
 * change answers EROFS.
 */
public final class OverlayFs implements FuseFilesystem {
    private final List<Layer> layers;
    private final boolean readOnly;
    private final double timeout;
    private final Whiteouts whiteouts;
    private final DirHandles handles;
    /** One per layer, by index: how the overlay reads it. */
    private final List<LayerReader> readers;
    private final Resolver resolver;
    private final Origins origins;
    private final MergedListing listing;
    private final InodeNumbers inodes;
    private final NodeTable<Entry> nodes;
    private final OpenFiles files;
    private final Layer upper;
    private final WorkDir work;
    private final CopyUp copyUp;
    private final Writes writes;
    private final Lookups lookups;
    private final NodeLocks locks = new NodeLocks();
    private final Listings listings;
    private final AttributeChanges attributeChanges;
    private final Opens opens;
    private final OwnDescriptors ownFds;
    private final Xattrs xattrs;
    private final boolean wantPassthrough;
    private final Owners owners;
    private volatile Kernel kernel;

    /**
     * @param layers  the stack, topmost first; a writable layer can only be the first (the upper)
     * @param workdir the open work directory, present exactly when there is an upper
     */
    public OverlayFs(List<Layer> layers, Fd workdir, OverlaySettings settings) throws ErrnoException {
        this.owners = settings.owners();
        this.wantPassthrough = settings.passthrough();
        this.layers = List.copyOf(layers);
        this.upper = this.layers.get(0).writable() ? this.layers.get(0) : null;
        this.readOnly = settings.readOnly() || upper == null;
        this.timeout = settings.timeoutSeconds();
        this.whiteouts = new Whiteouts(settings.userXattr());
        this.handles = new DirHandles(this.layers, settings.budgets().dirHandles());
        this.origins = new Origins(this.layers, whiteouts.xattrPrefix(), settings.budgets().originCache());
        this.readers = this.layers.stream().map(l -> new LayerReader(l, handles, whiteouts)).toList();
        this.resolver = new Resolver(readers, origins);
        long[] devs = this.layers.stream().mapToLong(Layer::dev).toArray();
        this.inodes = new InodeNumbers(devs);
        this.listing = new MergedListing(readers, whiteouts, inodes, origins);
        int[] all = new int[this.layers.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        Stat rootStat = Sys.stat(this.layers.get(0).root());
        this.nodes = new NodeTable<>(Entry.of(rootStat, 0, all), this::freed); // the root: in the topmost layer
        this.files = new OpenFiles(readers, nodes);
        this.ownFds = new OwnDescriptors(nodes, files);
        this.xattrs = new Xattrs(nodes, whiteouts, readers, ownFds);
        this.lookups = new Lookups(nodes, resolver, inodes, owners, upper != null);
        this.listings = new Listings(nodes, listing, inodes, lookups, upper != null, !this.readOnly);
        this.attributeChanges = new AttributeChanges(nodes, ownFds, files, owners, lookups);
        if (upper != null) {
            this.work = WorkDir.open(workdir);
            this.copyUp = new CopyUp(nodes, locks, handles, whiteouts, origins, work);
            this.writes = new Writes(nodes, handles, resolver, listing, copyUp, work, whiteouts, owners);
        } else {
            this.work = null;
            this.copyUp = null;
            this.writes = null;
        }
        this.opens = new Opens(nodes, files, ownFds, copyUp, lookups, this::writes);
    }

    private void freed(Node<Entry> n) {
        ownFds.freed(n.id());
    }

    /** One line of counters, for SIGUSR1 and tests. */
    public String stats() {
        return "nodes=" + nodes.size() + " handles=" + (files.size() + listings.size()) + " dirhandles=" + handles.size()
                + " copyups=" + (copyUp == null ? 0 : copyUp.count());
    }

    @Override
    public boolean wantsPassthrough() {
        return wantPassthrough;
    }

    @Override
    public void attach(Kernel k) {
        this.kernel = k;
        opens.attach(k, wantPassthrough && k.passthrough()
                ? new Passthrough(k, readers, nodes, locks, copyUp, files) : null);
        if (copyUp != null) {
            copyUp.onIdentityChange(this::identityChanged);
        }
    }

    /** A copy-up changed a node's st_ino: the kernel's attributes and its cached listing of the parent are stale. */
    private void identityChanged(long nodeid) {
        Kernel k = kernel;
        Node<Entry> n = nodes.get(nodeid);
        k.invalidateAttributes(nodeid);
        if (n != null && n.parent() != null) {
            k.invalidateData(n.parent().id());
        }
    }

    /** Whether file data goes through passthrough (negotiated and working). */
    public boolean passthroughActive() {
        return opens.passthrough() != null;
    }

    @Override
    public int changeRefused() {
        return Errno.EROFS;
    }

    /** The change handlers, or EROFS on a read-only mount. */
    private Writes writes(String op) throws ErrnoException {
        if (readOnly) {
            throw new ErrnoException(Errno.EROFS, op, "");
        }
        return writes;
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

    private Node<Entry> dir(long id) throws ErrnoException {
        Node<Entry> n = node(id);
        if (!n.payload().isDir()) {
            throw new ErrnoException(Errno.ENOTDIR, "node", nodes.path(n));
        }
        return n;
    }

    @Override
    public EntryReply lookup(Caller c, long parent, String name) throws ErrnoException {
        return lookups.lookup(node(parent), name);
    }

    @Override
    public void forget(long nodeid, long nlookup) {
        nodes.forget(nodeid, nlookup);
    }

    @Override
    public Attributes getattr(Caller c, long nodeid, long fh) throws ErrnoException {
        Node<Entry> n = node(nodeid);
        Entry e = n.payload();
        Fd own = ownFds.of(n);
        return lookups.attr(e, own != null ? Sys.stat(own) : resolver.restat(nodes.path(n), e));
    }

    @Override
    public String readlink(Caller c, long nodeid) throws ErrnoException {
        Node<Entry> n = node(nodeid);
        Entry e = n.payload();
        if (!e.stat().isLink()) {
            throw new ErrnoException(Errno.EINVAL, "readlink", nodes.path(n));
        }
        NodeTable.Location<Entry> at = nodes.locate(n);
        return readers.get(e.layer()).readlink(at.parentPath(), at.name());
    }

    @Override
    public OpenReply open(Caller c, long nodeid, int flags) throws ErrnoException {
        return opens.open(c, node(nodeid), flags);
    }

    @Override
    public Created create(Caller c, long parent, String name, int flags, int mode, int umask) throws ErrnoException {
        return opens.create(c, dir(parent), name, flags, mode);
    }

    @Override
    public Created tmpfile(Caller c, long parent, int flags, int mode, int umask) throws ErrnoException {
        return opens.tmpfile(c, dir(parent), flags, mode);
    }

    @Override
    public int read(Caller c, long nodeid, long fh, long offset, int size, ByteBuffer dst) throws ErrnoException {
        return files.read(fh, offset, size, dst);
    }

    @Override
    public int write(Caller c, long nodeid, long fh, long offset, ByteBuffer data, int size, boolean killSetId)
            throws ErrnoException {
        if (killSetId) {
            files.killSetId(fh, () -> true);
        }
        return files.write(fh, offset, data, size);
    }

    @Override
    public void release(long nodeid, long fh) {
        OpenFiles.OpenFile f = files.release(fh);
        if (f != null && f.backed) {
            opens.passthrough().released(f.node);
        }
    }

    @Override
    public void fsync(Caller c, long nodeid, long fh, boolean datasync) throws ErrnoException {
        Sys.fsync(files.get(fh).fd, datasync);
    }

    @Override
    public void fallocate(Caller c, long nodeid, long fh, long offset, long length, int mode) throws ErrnoException {
        Sys.fallocate(files.get(fh).fd, mode, offset, length);
    }

    @Override
    public long lseek(Caller c, long nodeid, long fh, long offset, int whence) throws ErrnoException {
        return Sys.lseek(files.get(fh).fd, offset, whence);
    }

    @Override
    public long copyFileRange(Caller c, long nodeIn, long fhIn, long offIn, long nodeOut, long fhOut, long offOut,
                              long len, int flags) throws ErrnoException {
        if (flags != 0) {
            throw new ErrnoException(Errno.EINVAL, "copy_file_range", "flags");
        }
        OpenFiles.OpenFile out = files.get(fhOut);
        if (!out.writable) {
            throw new ErrnoException(Errno.EBADF, "copy_file_range", "read-only output");
        }
        return Sys.copyFileRange(files.get(fhIn).fd, offIn, out.fd, offOut, len);
    }

    @Override
    public void syncfs(Caller c, long nodeid) throws ErrnoException {
        if (upper != null) {
            Sys.syncfs(upper.root());
        }
    }

    @Override
    public OpenReply opendir(Caller c, long nodeid, int flags) throws ErrnoException {
        return listings.open(node(nodeid));
    }

    @Override
    public void readdir(Caller c, long nodeid, long fh, long offset, DirSink sink) throws ErrnoException {
        listings.read(node(nodeid), fh, offset, sink);
    }

    @Override
    public void releasedir(long nodeid, long fh) {
        listings.release(fh);
    }

    @Override
    public StatFs statfs(Caller c, long nodeid) throws ErrnoException {
        return Sys.statfs(layers.get(0).root());
    }

    @Override
    public byte[] getxattr(Caller c, long nodeid, String name) throws ErrnoException {
        return xattrs.get(node(nodeid), name);
    }

    @Override
    public List<String> listxattr(Caller c, long nodeid) throws ErrnoException {
        return xattrs.list(c, node(nodeid));
    }

    @Override
    public void access(Caller c, long nodeid, int mask) throws ErrnoException {
        Node<Entry> n = node(nodeid);
        if ((mask & Linux.W_OK) != 0 && readOnly) {
            throw new ErrnoException(Errno.EROFS, "access", nodes.path(n));
        }
    }

    // ---- changes ----

    @Override
    public EntryReply mknod(Caller c, long parent, String name, int mode, int rdev, int umask) throws ErrnoException {
        Node<Entry> p = dir(parent);
        if ((mode & Linux.S_IFMT) == Linux.S_IFCHR && rdev == 0) {
            throw new ErrnoException(Errno.EPERM, "mknod", name); // a whiteout cannot be made through the mount
        }
        long dev = Stat.makedev((rdev >>> 8) & 0xfff, (rdev & 0xff) | ((rdev >>> 12) & 0xfff00));
        Entry e = writes("mknod").create(c, p, name, false, mode,
                (w, tmp) -> Sys.mknodAt(w, tmp, (mode & Linux.S_IFMT) | 0600, dev));
        return lookups.made(p, name, e);
    }

    @Override
    public EntryReply mkdir(Caller c, long parent, String name, int mode, int umask) throws ErrnoException {
        Node<Entry> p = dir(parent);
        Entry e = writes("mkdir").create(c, p, name, true, mode, (w, tmp) -> Sys.mkdirAt(w, tmp, 0700));
        return lookups.made(p, name, e);
    }

    @Override
    public EntryReply symlink(Caller c, long parent, String name, String target) throws ErrnoException {
        Node<Entry> p = dir(parent);
        Entry e = writes("symlink").create(c, p, name, false, -1, (w, tmp) -> Sys.symlinkAt(target, w, tmp));
        return lookups.made(p, name, e);
    }

    @Override
    public EntryReply link(Caller c, long nodeid, long newParent, String newName) throws ErrnoException {
        Node<Entry> p = dir(newParent);
        Node<Entry> src = node(nodeid);
        Entry e = writes("link").link(src, ownFds.anonymous(nodeid), p, newName);
        // The new name is the same node, as the names are one inode: the kernel sees the new
        // nlink in this reply, and a write or lock through either name is seen through both.
        nodes.link(src, p, newName, e.linkKey(true));
        return lookups.reply(src, e);
    }

    @Override
    public void unlink(Caller c, long parent, String name) throws ErrnoException {
        writes("unlink").unlink(dir(parent), name);
    }

    @Override
    public void rmdir(Caller c, long parent, String name) throws ErrnoException {
        Writes w = writes("rmdir");
        Node<Entry> p = dir(parent);
        keepIfOpenDir(p, name);
        w.rmdir(p, name);
    }

    /**
     * Before {@code name} in {@code dir} goes (rmdir, rename over it): a directory the kernel
     * holds open keeps a descriptor of its own, so fstat of the open handle still answers, as on
     * kernel overlayfs. Kept until the node is freed; harmless if the removal then fails.
     */
    private void keepIfOpenDir(Node<Entry> dir, String name) throws ErrnoException {
        Node<Entry> child = nodes.child(dir, name);
        if (child != null && child.payload().isDir() && listings.isOpen(child.id())) {
            Entry e = child.payload();
            ownFds.keepRemovedDir(child.id(), readers.get(e.layer()).open(nodes.path(child),
                    Linux.O_PATH | Linux.O_DIRECTORY));
        }
    }

    @Override
    public void rename(Caller c, long parent, String name, long newParent, String newName, int flags)
            throws ErrnoException {
        Writes w = writes("rename");
        Node<Entry> from = dir(parent);
        Node<Entry> to = dir(newParent);
        if ((flags & Linux.RENAME_EXCHANGE) == 0) {
            keepIfOpenDir(to, newName);
        }
        w.rename(from, name, to, newName, flags);
    }

    @Override
    public Attributes setattr(Caller c, long nodeid, SetAttr a) throws ErrnoException {
        Node<Entry> n = node(nodeid);
        return attributeChanges.change(writes("setattr"), n, a);
    }

    @Override
    public void setxattr(Caller c, long nodeid, String name, byte[] value, int flags) throws ErrnoException {
        Node<Entry> n = node(nodeid);
        xattrs.change(writes("setxattr"), n, name, value, flags);
    }

    @Override
    public void removexattr(Caller c, long nodeid, String name) throws ErrnoException {
        Node<Entry> n = node(nodeid);
        xattrs.change(writes("removexattr"), n, name, null, 0);
    }

    /** Closes every cached descriptor (at shutdown). */
    public void close() {
        handles.clear();
        if (work != null) {
            work.close();
        }
    }
}
