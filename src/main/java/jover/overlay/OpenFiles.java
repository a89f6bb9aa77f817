package jover.overlay;

import java.nio.ByteBuffer;
import java.util.List;
import jover.node.HandleTable;
import jover.node.Node;
import jover.node.NodeTable;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Sys;

/**
 * Open regular files: the real descriptor behind each FUSE file handle, with data served in
 * userspace. A handle opened read-only before its file was copied up moves to the upper copy on
 * its next read, so it sees later writes, as a kernel overlayfs read(2) does.
 */
final class OpenFiles {
    /** Flags of an open(2) by the caller that jover passes on to the real file. */
    private static final int O_DSYNC = 010000;
    private static final int O_SYNC = 04010000;
    private static final int KEPT_FLAGS = Linux.O_ACCMODE | O_SYNC | O_DSYNC;

    /** One open file handle. */
    static final class OpenFile {
        final Node<Entry> node;
        final boolean writable;
        volatile Fd fd;
        volatile int layer;
        /** The lower descriptor a retargeted handle used: closed at release, as a read may still use it. */
        Fd retired;
        /** This open holds a reference on its node's passthrough backing (see BackingIds). */
        volatile boolean backed;

        OpenFile(Node<Entry> node, Fd fd, int layer, boolean writable) {
            this.node = node;
            this.fd = fd;
            this.layer = layer;
            this.writable = writable;
        }
    }

    private final List<LayerReader> readers;
    private final NodeTable<Entry> nodes;
    private final HandleTable<OpenFile> table = new HandleTable<>();
    /** The open files of each node: an unlinked file is still reachable through them (fstat). */
    private final java.util.concurrent.ConcurrentHashMap<Long, java.util.Set<OpenFile>> byNode =
            new java.util.concurrent.ConcurrentHashMap<>();

    OpenFiles(List<LayerReader> readers, NodeTable<Entry> nodes) {
        this.readers = readers;
        this.nodes = nodes;
    }

    static boolean wantsWrite(int flags) {
        return (flags & Linux.O_ACCMODE) != Linux.O_RDONLY || (flags & Linux.O_TRUNC) != 0;
    }

    /** Opens node {@code n}'s real file (in the layer of its current entry) and returns the handle. */
    long open(Node<Entry> n, int flags) throws ErrnoException {
        Entry e = n.payload();
        int real = (flags & KEPT_FLAGS) | Linux.O_NOFOLLOW | (flags & Linux.O_TRUNC);
        Fd fd = readers.get(e.layer()).open(nodes.path(n), real);
        return register(new OpenFile(n, fd, e.layer(), wantsWrite(flags)));
    }

    /**
     * Opens node {@code n} again through {@code own}, a descriptor of its file, for a node whose
     * name is gone (a reopen through /proc/self/fd): the same file, whatever has the name now.
     */
    long reopen(Node<Entry> n, Fd own, int flags) throws ErrnoException {
        int real = (flags & KEPT_FLAGS) | (flags & Linux.O_TRUNC);
        Fd fd = Sys.open("/proc/self/fd/" + own.get(), real);
        return register(new OpenFile(n, fd, n.payload().layer(), wantsWrite(flags)));
    }

    private long register(OpenFile f) {
        byNode.computeIfAbsent(f.node.id(), id -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(f);
        return table.add(f);
    }

    /** A descriptor of one of node {@code nodeid}'s open files, a writable one if any, or null. */
    Fd anyOpen(long nodeid) {
        java.util.Set<OpenFile> open = byNode.get(nodeid);
        Fd any = null;
        if (open != null) {
            for (OpenFile f : open) {
                if (f.writable) {
                    return f.fd;
                }
                any = f.fd;
            }
        }
        return any;
    }

    /** Registers a descriptor jover opened itself (CREATE). */
    long add(Node<Entry> n, Fd fd, boolean writable) {
        return register(new OpenFile(n, fd, n.payload().layer(), writable));
    }

    OpenFile get(long fh) throws ErrnoException {
        OpenFile f = table.get(fh);
        if (f == null) {
            throw new ErrnoException(Errno.EBADF, "file handle", Long.toString(fh));
        }
        return f;
    }

    int read(long fh, long offset, int size, ByteBuffer dst) throws ErrnoException {
        OpenFile f = get(fh);
        retarget(f);
        int total = 0;
        while (total < size) {
            dst.limit(size).position(total);
            int n = Sys.pread(f.fd, dst.slice(), size - total, offset + total);
            if (n == 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    int write(long fh, long offset, ByteBuffer src, int size) throws ErrnoException {
        OpenFile f = get(fh);
        if (!f.writable) {
            throw new ErrnoException(Errno.EBADF, "write", "read-only handle");
        }
        return Sys.pwrite(f.fd, src, size, offset);
    }

    /**
     * Clears the set-user-ID bit, and set-group-ID with group execute, of a handle's file, for
     * a write or truncate by a process without CAP_FSETID (FUSE's rule for
     * FUSE_WRITE_KILL_SUIDGID; the daemon's own write would keep them). {@code
     * callerLacksFsetid} is asked only when there is a bit to clear.
     */
    void killSetId(long fh, java.util.function.BooleanSupplier callerLacksFsetid) throws ErrnoException {
        OpenFile f = get(fh);
        int mode = Sys.stat(f.fd).mode() & 07777;
        int kept = mode & ~Linux.S_ISUID;
        if ((mode & (Linux.S_ISGID | Linux.S_IXGRP)) == (Linux.S_ISGID | Linux.S_IXGRP)) {
            kept &= ~Linux.S_ISGID;
        }
        if (kept != mode && callerLacksFsetid.getAsBoolean()) { // asked only for a set-id file
            Sys.fchmod(f.fd, kept);
        }
    }

    /** A read-only handle on a lower file whose node has been copied up since: reopen the copy. */
    private void retarget(OpenFile f) throws ErrnoException {
        int now = f.node.payload().layer();
        if (now == f.layer) {
            return;
        }
        synchronized (f) { // across an openat; after node monitors, before DirHandles (see NodeLocks)
            if (f.node.payload().layer() != f.layer) {
                Fd fresh = readers.get(now).open(nodes.path(f.node), Linux.O_RDONLY);
                if (f.retired != null) {
                    f.retired.close();
                }
                f.retired = f.fd;
                f.fd = fresh;
                f.layer = now;
            }
        }
    }

    /** Closes the handle; returns it (to release what else it holds), or null when it was not open. */
    OpenFile release(long fh) {
        OpenFile f = table.remove(fh);
        if (f != null) {
            byNode.computeIfPresent(f.node.id(), (id, set) -> {
                set.remove(f);
                return set.isEmpty() ? null : set;
            });
            f.fd.close();
            if (f.retired != null) {
                f.retired.close();
            }
        }
        return f;
    }

    int size() {
        return table.size();
    }
}
