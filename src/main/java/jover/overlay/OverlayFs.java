package jover.overlay;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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
import jover.sys.Capabilities;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Stat;
import jover.sys.StatFs;
import jover.sys.Sys;

/**
 * The request handlers of the merged tree, each handing its request to the piece that owns it:
 * names in {@link Lookups}, directories in {@link Listings}, open files in {@link OpenFiles} and
 * {@link Passthrough}, xattrs in {@link Xattrs}, changes in {@link Writes},
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
    private final AtomicLong anonymousNames = new AtomicLong();
    private final OwnDescriptors ownFds;
    private final Xattrs xattrs;
    private final boolean wantPassthrough;
    private final Owners owners;
    private volatile Kernel kernel;
    /** Set once the mount answers, when the kernel passes file data through; null otherwise. */
    private volatile Passthrough passthrough;

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
        if (wantPassthrough && k.passthrough()) {
            this.passthrough = new Passthrough(k, readers, nodes, locks, copyUp, files);
        }
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
        return passthrough != null;
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
        Node<Entry> n = node(nodeid);
        if (n.payload().isDir()) {
            throw new ErrnoException(Errno.EISDIR, "open", nodes.path(n));
        }
        boolean write = OpenFiles.wantsWrite(flags);
        if (write) {
            writes("open");
        }
        Passthrough pt = passthrough;
        if (pt != null) {
            pt.beforeOpen(n, write);
        }
        Fd own = ownFds.of(n);
        if (own != null) {
            if (write && !CopyUp.inUpper(n.payload())) {
                throw new ErrnoException(Errno.ESTALE, "open", nodes.path(n)); // an unlinked lower file is never copied up
            }
            return answer(n, killSetIdOnTruncate(c, flags, files.reopen(n, own, flags)), own, write);
        }
        if (write) {
            copyUp.ensure(n);
        }
        return answer(n, killSetIdOnTruncate(c, flags, files.open(n, flags)), null, write);
    }

    /**
     * After an open with O_TRUNC (done by the daemon, which may keep set-id bits): clears them as
     * a truncate by the caller would when it lacks CAP_FSETID. The kernel does not (with
     * ATOMIC_O_TRUNC its own clearing SETATTR is skipped), so jover must. Returns {@code fh}.
     */
    private long killSetIdOnTruncate(Caller c, int flags, long fh) throws ErrnoException {
        if ((flags & Linux.O_TRUNC) != 0) {
            files.killSetId(fh, () -> !Capabilities.effective(c.pid(), Capabilities.CAP_FSETID, c.uid() == 0));
        }
        return fh;
    }

    /**
     * The OPEN (or CREATE) reply for a new handle: passthrough where active (see {@link
     * Passthrough}), else userspace I/O: a writable handle bypasses the page cache
     * (FOPEN_DIRECT_IO: one WRITE per write(2) of up to 1 MiB, measured 4-8 times faster than
     * the cached write-through path) where the kernel still allows mmap of it; a read-only one
     * keeps cached pages across opens (every change goes through this mount).
     * {@code anon}: the file's own descriptor when its name is gone.
     */
    private OpenReply answer(Node<Entry> n, long fh, Fd anon, boolean writable) throws ErrnoException {
        Passthrough pt = passthrough;
        if (pt != null) {
            return pt.reply(n, fh, anon);
        }
        boolean direct = writable && kernel != null && kernel.directIoAllowsMmap();
        return direct ? OpenReply.directIo(fh) : OpenReply.keepCache(fh);
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
            passthrough.released(f.node);
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
        writes("rmdir").rmdir(dir(parent), name);
    }

    @Override
    public void rename(Caller c, long parent, String name, long newParent, String newName, int flags)
            throws ErrnoException {
        writes("rename").rename(dir(parent), name, dir(newParent), newName, flags);
    }

    @Override
    public Created create(Caller c, long parent, String name, int flags, int mode, int umask) throws ErrnoException {
        Node<Entry> p = dir(parent);
        Fd[] opened = new Fd[1];
        int access = flags & Linux.O_ACCMODE;
        Entry e;
        try {
            e = writes("create").create(c, p, name, false, mode, (w, tmp) -> opened[0] =
                    Sys.openAt(w, tmp, access | Linux.O_CREAT | Linux.O_EXCL | Linux.O_NOFOLLOW, 0600));
        } catch (ErrnoException | RuntimeException ex) {
            if (opened[0] != null) {
                opened[0].close();
            }
            throw ex;
        }
        EntryReply out = lookups.made(p, name, e);
        Node<Entry> n = nodes.get(out.nodeId());
        long fh = files.add(n, opened[0], access != Linux.O_RDONLY);
        return new Created(out, answer(n, fh, null, access != Linux.O_RDONLY));
    }

    @Override
    public Created tmpfile(Caller c, long parent, int flags, int mode, int umask) throws ErrnoException {
        Node<Entry> p = dir(parent);
        Writes w = writes("tmpfile");
        int access = (flags & Linux.O_ACCMODE) == Linux.O_RDONLY ? Linux.O_RDWR : flags & Linux.O_ACCMODE;
        try (DirHandles.Handle up = w.upperDir(p)) {
            Stat dirStat = Sys.stat(up.fd());
            Fd fd = Sys.openAt(up.fd(), ".", Linux.O_TMPFILE | access, mode & 07777);
            try {
                Sys.fchown(fd, w.ownerFor(c), w.groupFor(c, dirStat));
                Sys.fchmod(fd, mode & 07777);
                Entry e = Entry.of(Sys.stat(fd), Layer.UPPER, null);
                // A name no real entry can have (it holds a NUL), dropped at once: the file has none.
                String none = "\0tmpfile" + anonymousNames.incrementAndGet();
                Node<Entry> n = nodes.lookup(p, none, e, (o, f) -> null);
                nodes.detach(p, none);
                Fd anon = Sys.dup(fd);
                ownFds.addAnonymous(n.id(), anon);
                long fh = files.add(n, fd, true);
                return new Created(lookups.reply(n, e), answer(n, fh, anon, true));
            } catch (ErrnoException | RuntimeException ex) {
                fd.close();
                throw ex;
            }
        }
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
