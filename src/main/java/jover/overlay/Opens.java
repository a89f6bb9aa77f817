package jover.overlay;

import java.util.concurrent.atomic.AtomicLong;
import jover.fuse.server.Caller;
import jover.fuse.server.EntryReply;
import jover.fuse.server.FuseFilesystem.Created;
import jover.fuse.server.Kernel;
import jover.fuse.server.OpenReply;
import jover.node.Node;
import jover.node.NodeTable;
import jover.sys.Capabilities;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Stat;
import jover.sys.Sys;

/**
 * Opening files: OPEN, CREATE and TMPFILE, each answered with a handle in {@link OpenFiles} and
 * the kernel's data path for it (passthrough where active, else userspace I/O).
 */
final class Opens {
    /** The change handlers, or EROFS on a read-only mount. */
    @FunctionalInterface
    interface WritesOrRefusal {
        Writes open(String op) throws ErrnoException;
    }

    private final NodeTable<Entry> nodes;
    private final OpenFiles files;
    private final OwnDescriptors ownFds;
    private final CopyUp copyUp;
    private final Lookups lookups;
    private final WritesOrRefusal writes;
    private final AtomicLong anonymousNames = new AtomicLong();
    private volatile Kernel kernel;
    /** Set once the mount answers, when the kernel passes file data through; null otherwise. */
    private volatile Passthrough passthrough;

    Opens(NodeTable<Entry> nodes, OpenFiles files, OwnDescriptors ownFds, CopyUp copyUp, Lookups lookups,
          WritesOrRefusal writes) {
        this.nodes = nodes;
        this.files = files;
        this.ownFds = ownFds;
        this.copyUp = copyUp;
        this.lookups = lookups;
        this.writes = writes;
    }

    /** Once mounted: the kernel side, and the passthrough data path when it is active (else null). */
    void attach(Kernel k, Passthrough pt) {
        this.kernel = k;
        this.passthrough = pt;
    }

    /** The passthrough data path, or null. */
    Passthrough passthrough() {
        return passthrough;
    }

    /** OPEN: copies the file up first when it is opened for writing. */
    OpenReply open(Caller c, Node<Entry> n, int flags) throws ErrnoException {
        if (n.payload().isDir()) {
            throw new ErrnoException(Errno.EISDIR, "open", nodes.path(n));
        }
        boolean write = OpenFiles.wantsWrite(flags);
        if (write) {
            writes.open("open");
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

    /** CREATE: the new file, made as {@link Writes#create} makes objects, and its open handle. */
    Created create(Caller c, Node<Entry> p, String name, int flags, int mode) throws ErrnoException {
        Fd[] opened = new Fd[1];
        int access = flags & Linux.O_ACCMODE;
        Entry e;
        try {
            e = writes.open("create").create(c, p, name, false, mode, (w, tmp) -> opened[0] =
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

    /** TMPFILE: an O_TMPFILE file in the upper directory of {@code p}, with a node but no name. */
    Created tmpfile(Caller c, Node<Entry> p, int flags, int mode) throws ErrnoException {
        Writes w = writes.open("tmpfile");
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
}
