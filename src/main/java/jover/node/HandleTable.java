package jover.node;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open file and directory handles (the fh of OPEN/OPENDIR replies), never reused.
 *
 * @param <T> what an open handle holds
 */
public final class HandleTable<T> {
    private final ConcurrentHashMap<Long, T> open = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);

    public long add(T value) {
        long fh = next.getAndIncrement();
        open.put(fh, value);
        return fh;
    }

    /** The handle's value, or null when it is not open. */
    public T get(long fh) {
        return open.get(fh);
    }

    /** Closes the handle; returns its value, or null when it was not open. */
    public T remove(long fh) {
        return open.remove(fh);
    }

    public int size() {
        return open.size();
    }
}
