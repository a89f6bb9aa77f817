package jover.overlay;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Sys;

/**
 * A bounded cache of open directory descriptors, one per (layer, path inside the layer), so a
 * lookup costs one statx per layer instead of an open, a statx and a close. The process has a
 * limited number of descriptors (20,000 here), so the cache is bounded; a descriptor evicted
 * while in use is closed only when its last user releases it.
 *
 * <p>Locking: the cache's own (an openat may run inside it); taken after node monitors, open-file
 * monitors and the backing ids, before the node table's lock (see {@link NodeLocks}).
 */
final class DirHandles {
    /** Computes what a reader notes about a directory from its descriptor (see {@link Handle#memo}). */
    @FunctionalInterface
    interface Memo<T> {
        T of(Fd dir) throws ErrnoException;
    }

    /** A cached directory descriptor with a reference count; the cache holds one reference. */
    static final class Handle implements AutoCloseable {
        private final Fd fd;
        private final AtomicInteger refs = new AtomicInteger(1);
        /** What {@link #memo} computed, or null. */
        private volatile Object memo;

        Handle(Fd fd) {
            this.fd = fd;
        }

        Fd fd() {
            return fd;
        }

        /**
         * Facts about this directory that live as long as its descriptor: {@code compute} on the
         * first call, the same value after (two first calls at once may both compute; one wins).
         * One slot, for one kind of fact: {@link Whiteouts} keeps its per-directory forms here.
         */
        @SuppressWarnings("unchecked")
        <T> T memo(Memo<T> compute) throws ErrnoException {
            Object m = memo;
            if (m == null) {
                m = compute.of(fd);
                memo = m;
            }
            return (T) m;
        }

        boolean retain() {
            while (true) {
                int r = refs.get();
                if (r == 0) {
                    return false;
                }
                if (refs.compareAndSet(r, r + 1)) {
                    return true;
                }
            }
        }

        /** Drops one reference; the last one closes the descriptor. */
        @Override
        public void close() {
            if (refs.decrementAndGet() == 0) {
                fd.close();
            }
        }
    }

    private record Key(int layer, String path) {
    }

    private final List<Layer> layers;
    private final Cache<Key, Handle> cache;

    DirHandles(List<Layer> layers, long maxOpen) {
        this.layers = layers;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxOpen)
                .executor(Runnable::run)
                .removalListener((Key k, Handle h, com.github.benmanes.caffeine.cache.RemovalCause c) -> {
                    if (h != null) {
                        h.close();
                    }
                })
                .build();
    }

    /**
     * The directory at {@code path} in {@code layer}, retained: close it when done. Opens it
     * (never following a symlink) when not cached.
     */
    Handle acquire(int layer, String path) throws ErrnoException {
        Key key = new Key(layer, path);
        while (true) {
            Handle h = cache.getIfPresent(key);
            if (h == null) {
                h = open(layer, path);
                Handle raced = cache.asMap().putIfAbsent(key, h);
                if (raced != null) {
                    h.close();
                    h = raced;
                }
            }
            if (h.retain()) {
                return h;
            }
            cache.asMap().remove(key, h); // evicted and closed under us: load again
        }
    }

    /** Opens the directory at {@code path} in {@code layer} uncached, for reading its entries. */
    Fd openFresh(int layer, String path) throws ErrnoException {
        return Sys.openBeneath(layers.get(layer).root(), path, Linux.O_RDONLY | Linux.O_DIRECTORY);
    }

    private Handle open(int layer, String path) throws ErrnoException {
        return new Handle(openFresh(layer, path));
    }

    /**
     * Drops the cached descriptors of {@code path} and everything below it in {@code layer}:
     * after a directory there was renamed or removed, a path names something else.
     */
    void invalidateTree(int layer, String path) {
        String below = path + "/";
        cache.asMap().keySet().removeIf(k -> k.layer() == layer && (k.path().equals(path) || k.path().startsWith(below)));
    }

    /** Forgets every cached directory (used at shutdown). */
    void clear() {
        cache.invalidateAll();
    }

    long size() {
        return cache.estimatedSize();
    }
}
