package jover.node;

import java.util.HashMap;
import java.util.Map;

/**
 * Passthrough backing ids, one per node, counted over the node's open files: the first
 * passthrough open registers the backing file, later opens reuse its id, and the last release
 * closes it. An id is never closed while an OPEN reply naming it may be on its way (the count
 * rises before the reply is sent). The kernel allows one backing file per inode while any
 * passthrough open exists, and no mixing of passthrough and userspace opens: the record also
 * says which layer's file backs the node, so a caller can tell when that would be broken.
 *
 * <p>Locking: this object's monitor, held across the registrar's BACKING_OPEN; taken after any
 * node monitor and before the node table's lock (the lock order is written in jover.overlay's
 * NodeLocks).
 */
public final class BackingIds {
    /** The opener and closer of backing ids (the kernel connection). */
    public interface Registrar<E extends Exception> {
        int open() throws E;
    }

    /** A node's backing while it has opens: the id (0 for userspace I/O), its layer, how many opens. */
    public record Backing(int id, int layer, int opens) {
    }

    private final Map<Long, Backing> live = new HashMap<>();
    private final java.util.function.IntConsumer close;

    /** @param close releases a backing id (BACKING_CLOSE) */
    public BackingIds(java.util.function.IntConsumer close) {
        this.close = close;
    }

    /** The node's current backing, or null when it has no open files. */
    public synchronized Backing get(long node) {
        return live.get(node);
    }

    /**
     * One more open of {@code node} backed by {@code layer}'s file: reuses the live id, or
     * registers one with {@code registrar} (which returns 0 to choose userspace I/O).
     */
    public synchronized <E extends Exception> int acquire(long node, int layer, Registrar<E> registrar) throws E {
        Backing b = live.get(node);
        if (b == null) {
            b = new Backing(registrar.open(), layer, 0);
        }
        live.put(node, new Backing(b.id(), b.layer(), b.opens() + 1));
        return b.id();
    }

    /** One open of {@code node} was released; the last one closes its backing id. */
    public synchronized void release(long node) {
        Backing b = live.get(node);
        if (b == null) {
            return;
        }
        if (b.opens() > 1) {
            live.put(node, new Backing(b.id(), b.layer(), b.opens() - 1));
            return;
        }
        live.remove(node);
        if (b.id() > 0) {
            close.accept(b.id());
        }
    }

    public synchronized int size() {
        return live.size();
    }
}
