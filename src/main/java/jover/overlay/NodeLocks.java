package jover.overlay;

import java.util.ArrayList;
import java.util.List;
import jover.node.Node;
import jover.sys.ErrnoException;

/**
 * Node monitors, the locks of the overlay that are held across I/O: one copy-up of a node at a
 * time ({@link CopyUp}), and the move of a name to a new node under passthrough
 * ({@link Passthrough}). Messages to the kernel (cache invalidations, written to /dev/fuse) that
 * come up while a thread holds one are sent once it holds none: the kernel may be waiting for
 * something that waits for this monitor.
 *
 * <p>Lock order, outermost first: node monitors (a child's before its parent's: a copy-up copies
 * the parents while it holds the child); an open file's monitor ({@link OpenFiles}); the backing
 * ids ({@link jover.node.BackingIds}, across the BACKING_OPEN ioctl); the directory-handle
 * cache ({@link DirHandles}, across an openat); the node table's lock (innermost, no I/O). The
 * FUSE server's notification lock is taken only with none of these held.
 */
final class NodeLocks {
    /** Work done holding a node's monitor. */
    interface Locked<T> {
        T run() throws ErrnoException;
    }

    /** What this thread holds: how many node monitors, and the messages waiting for none. */
    private static final class Held {
        int depth;
        final List<Runnable> deferred = new ArrayList<>();
    }

    private final ThreadLocal<Held> held = ThreadLocal.withInitial(Held::new);

    /** Runs {@code work} holding {@code node}'s monitor. */
    <T> T with(Node<Entry> node, Locked<T> work) throws ErrnoException {
        Held h = held.get();
        h.depth++;
        try {
            synchronized (node) {
                return work.run();
            }
        } finally {
            if (--h.depth == 0 && !h.deferred.isEmpty()) {
                List<Runnable> now = new ArrayList<>(h.deferred);
                h.deferred.clear();
                now.forEach(Runnable::run);
            }
        }
    }

    /** Runs {@code message} now, or as soon as this thread holds no node monitor. */
    void whenUnlocked(Runnable message) {
        Held h = held.get();
        if (h.depth == 0) {
            message.run();
        } else {
            h.deferred.add(message);
        }
    }
}
