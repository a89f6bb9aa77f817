package jover.overlay;

import jover.node.Node;
import jover.node.NodeTable;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Stat;
import jover.sys.Sys;

/**
 * Copies a lower entry up into the upper layer, in kernel overlayfs's way: its parent
 * directories first, then the object itself built in the work directory (data with holes kept,
 * xattrs, origin, owner, mode, times) and renamed into place, so no crash ever shows a
 * half-copied file. One copy-up per node at a time: concurrent callers wait on the node and
 * then find the copy done.
 */
final class CopyUp {
    private static final int SEEK_SET = 0;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final long CHUNK = 1L << 30;
    private static final byte[] YES = {'y'};

    private final NodeTable<Entry> nodes;
    private final NodeLocks locks;
    private final DirHandles handles;
    private final Whiteouts whiteouts;
    private final Origins origins;
    private final WorkDir work;
    private volatile java.util.function.LongConsumer identityChanged = id -> { };
    private final java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();

    CopyUp(NodeTable<Entry> nodes, NodeLocks locks, DirHandles handles, Whiteouts whiteouts, Origins origins,
           WorkDir work) {
        this.nodes = nodes;
        this.locks = locks;
        this.handles = handles;
        this.whiteouts = whiteouts;
        this.origins = origins;
        this.work = work;
    }

    /** Called with a node id whose reported attributes changed on copy-up (to drop the kernel's copy). */
    void onIdentityChange(java.util.function.LongConsumer callback) {
        this.identityChanged = callback;
    }

    /** Copy-ups done since mount (statistics). */
    long count() {
        return done.get();
    }

    static boolean inUpper(Entry e) {
        return e.layer() == Layer.UPPER;
    }

    /**
     * The node's entry once it is in the upper layer, copying it (and its parents) up if needed.
     * The copy is made under the node's monitor (one copy-up per node; parents are locked after
     * their children, see {@link NodeLocks}); the kernel is told of a changed identity once no
     * monitor is held.
     */
    Entry ensure(Node<Entry> node) throws ErrnoException {
        Entry e = node.payload();
        if (inUpper(e)) {
            return e;
        }
        return locks.with(node, () -> {
            Entry lower = node.payload();
            if (inUpper(lower)) {
                return lower;
            }
            Entry up = copyNode(node, lower);
            if (!up.sameObject(lower) || up.isMerged() != lower.isMerged()) {
                // its st_ino (a hard-linked lower file) or its nlink (a directory now merged) changed
                long id = node.id();
                locks.whenUnlocked(() -> identityChanged.accept(id));
            }
            return up;
        });
    }

    /** Copies {@code node} (entry {@code e}, in a lower layer) up and makes the node denote the copy. */
    private Entry copyNode(Node<Entry> node, Entry e) throws ErrnoException {
        NodeTable.Location<Entry> at = nodes.locate(node);
        ensure(at.parent());
        Entry copied = copy(at.parentPath(), at.name(), e);
        // No origin could be recorded (user.* xattrs on a symlink or fifo): the kernel's dentry
        // keeps the lower inode number while it lives, and so does the node.
        Entry up = !copied.sameObject(e) && (e.isDir() || e.stat().nlink() == 1) ? copied.withIdentityOf(e) : copied;
        nodes.update(node, lower -> up);
        done.incrementAndGet();
        return up;
    }

    /**
     * Copies node {@code n} up without changing it (its parent must be in the upper already):
     * the node keeps denoting the lower file, for the opens that read it; a later lookup of the
     * name finds the copy. Returns the copy's entry.
     */
    Entry copyBeside(Node<Entry> n) throws ErrnoException {
        NodeTable.Location<Entry> at = nodes.locate(n);
        Entry up = copy(at.parentPath(), at.name(), n.payload());
        done.incrementAndGet();
        return up;
    }

    private Entry copy(String parentPath, String name, Entry e) throws ErrnoException {
        Stat st = e.stat();
        String tmp = work.tempName();
        Fd w = work.fd();
        try (DirHandles.Handle lower = handles.acquire(e.layer(), parentPath);
             DirHandles.Handle upper = handles.acquire(Layer.UPPER, parentPath)) {
            try {
                build(lower.fd(), name, st, w, tmp);
                copyXattrs(lower.fd(), name, w, tmp);
                // A lower file with several hard links gets no origin (kernel, index=off): its
                // names may be copied up to different files, which must not share an inode number.
                byte[] origin = st.isDir() || st.nlink() == 1 ? originOrNull(lower.fd(), name) : null;
                if (origin != null && !setOrigin(w, tmp, origin)) {
                    origin = null;
                }
                setMetadata(w, tmp, st);
                Stat parentTimes = Sys.stat(upper.fd());
                // marked before the copy appears, as the kernel does, so no crash leaves it unmarked
                markImpure(upper.fd());
                Sys.renameAt(w, tmp, upper.fd(), name, Linux.RENAME_NOREPLACE);
                // a copy-up is not a change of the directory: its times stay (as the kernel keeps them)
                Sys.utimensAt(upper.fd(), ".", parentTimes.atimeSec(), parentTimes.atimeNsec(),
                        parentTimes.mtimeSec(), parentTimes.mtimeNsec());
            } catch (ErrnoException | RuntimeException ex) {
                discard(tmp);
                if (ex instanceof ErrnoException && ((ErrnoException) ex).errno() == Errno.EEXIST) {
                    return existing(name, e, upper.fd()); // copied up by someone else
                }
                throw ex;
            }
            return existing(name, e, upper.fd());
        }
    }

    /** The entry of the upper copy now at {@code name}: its identity comes from its origin, as on lookup. */
    private Entry existing(String name, Entry lower, Fd upperParent) throws ErrnoException {
        Stat st = Sys.statAt(upperParent, name);
        int[] dirs = null;
        if (lower.isDir()) {
            dirs = new int[lower.dirLayers().length + 1];
            System.arraycopy(lower.dirLayers(), 0, dirs, 1, lower.dirLayers().length);
            dirs[0] = Layer.UPPER;
        }
        return origins.withIdentity(Entry.of(st, Layer.UPPER, dirs), upperParent, name);
    }

    /** Creates the object in the work directory: an empty directory, a copy of the data, a link or a node. */
    private void build(Fd lowerDir, String name, Stat st, Fd w, String tmp) throws ErrnoException {
        switch (st.mode() & Linux.S_IFMT) {
            case Linux.S_IFDIR:
                Sys.mkdirAt(w, tmp, 0700);
                break;
            case Linux.S_IFREG:
                try (Fd src = Sys.openAt(lowerDir, name, Linux.O_RDONLY | Linux.O_NOFOLLOW, 0);
                     Fd dst = Sys.openAt(w, tmp, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL, 0600)) {
                    copyData(src, dst, st.size());
                    Sys.fsync(dst, false);
                }
                break;
            case Linux.S_IFLNK:
                Sys.symlinkAt(Sys.readlinkAt(lowerDir, name), w, tmp);
                break;
            default:
                Sys.mknodAt(w, tmp, st.mode() & (Linux.S_IFMT | 0600), Stat.makedev(st.rdevMajor(), st.rdevMinor()));
                break;
        }
    }

    /** Copies {@code size} bytes, in the kernel: a reflink where possible, else data ranges only, so holes stay holes. */
    static void copyData(Fd src, Fd dst, long size) throws ErrnoException {
        if (size == 0) {
            return;
        }
        try {
            Sys.ficlone(dst, src);
            return;
        } catch (ErrnoException e) {
            // no reflink on this filesystem (EOPNOTSUPP), or across filesystems (EXDEV): copy ranges
        }
        boolean sendfile = false;
        long off = 0;
        while (off < size) {
            long data;
            long hole;
            try {
                data = Sys.lseek(src, off, SEEK_DATA);
                hole = Sys.lseek(src, data, SEEK_HOLE);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.ENXIO) {
                    break; // only a hole remains
                }
                if (e.errno() != Errno.EINVAL) {
                    throw e;
                }
                data = off; // no SEEK_DATA here: copy everything
                hole = size;
            }
            for (long pos = data; pos < hole; ) {
                long len = Math.min(hole - pos, CHUNK);
                long n;
                if (!sendfile) {
                    try {
                        n = Sys.copyFileRange(src, pos, dst, pos, len);
                    } catch (ErrnoException e) {
                        if (e.errno() != Errno.EXDEV && e.errno() != Errno.EINVAL && e.errno() != Errno.EOPNOTSUPP
                                && e.errno() != Errno.ENOSYS) {
                            throw e;
                        }
                        sendfile = true; // across filesystems: sendfile still copies in the kernel
                        continue;
                    }
                } else {
                    Sys.lseek(dst, pos, SEEK_SET);
                    n = Sys.sendfile(dst, src, pos, len);
                }
                if (n == 0) {
                    break; // the source shrank under us
                }
                pos += n;
            }
            off = hole;
        }
        Sys.ftruncate(dst, size); // a trailing hole
    }

    private void copyXattrs(Fd lowerDir, String name, Fd w, String tmp) throws ErrnoException {
        for (String x : Sys.listxattrAt(lowerDir, name)) {
            if (whiteouts.mergedXattr(x) == null) {
                continue; // the lower layer's own overlay metadata does not travel
            }
            try {
                Sys.setxattrAt(w, tmp, x, Sys.getxattrAt(lowerDir, name, x), 0);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EOPNOTSUPP && e.errno() != Errno.ENODATA) {
                    throw e;
                }
            }
        }
    }

    /**
     * Records the origin; false where the upper cannot hold it (user.* xattrs on a symlink or a
     * device in userxattr mode): the kernel then copies up without one, and so does jover.
     */
    private boolean setOrigin(Fd w, String tmp, byte[] origin) throws ErrnoException {
        try {
            Sys.setxattrAt(w, tmp, origins.originXattr(), origin, 0);
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EPERM || e.errno() == Errno.EOPNOTSUPP) {
                return false;
            }
            throw e;
        }
    }

    private byte[] originOrNull(Fd lowerDir, String name) throws ErrnoException {
        try {
            return origins.encode(lowerDir, name);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EOPNOTSUPP || e.errno() == Errno.EOVERFLOW) {
                return null; // the lower filesystem has no file handles: no origin, as in the kernel
            }
            throw e;
        }
    }

    /** Owner, then mode (chown may clear set-id bits), then times, as the lower file has them. */
    static void setMetadata(Fd dir, String name, Stat st) throws ErrnoException {
        Sys.chownAt(dir, name, st.uid(), st.gid());
        if (!st.isLink()) {
            Sys.chmodAt(dir, name, st.mode() & 07777);
        }
        Sys.utimensAt(dir, name, st.atimeSec(), st.atimeNsec(), st.mtimeSec(), st.mtimeNsec());
    }

    /** Marks an upper directory impure: it now holds entries with an origin (kernel format). */
    void markImpure(Fd upperDir) throws ErrnoException {
        if (!origins.isImpure(upperDir)) {
            Sys.fsetxattr(upperDir, origins.impureXattr(), YES, 0);
        }
    }

    private void discard(String tmp) {
        try {
            work.remove(tmp);
        } catch (ErrnoException ignored) {
            // nothing was created, or it is debris the next mount removes
        }
    }
}
