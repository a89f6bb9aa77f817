package jover.overlay;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import jover.sys.DirEntry;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Sys;

/**
 * A bounded cache of open directory descriptors, one per (layer, path inside the layer), so a
 * lookup costs one statx per layer instead of an open, a statx and a close. The process has a
 * limited number of descriptors (20,000 here), so the cache is bounded; a descriptor evicted
 * while in use is closed only when its last user releases it.
 */
final class DirHandles {
    /** A cached directory descriptor with a reference count; the cache holds one reference. */
    static final class Handle implements AutoCloseable {
        private final Fd fd;
        private final AtomicInteger refs = new AtomicInteger(1);
        /** This directory's opaque xattr is "x": empty files with a whiteout xattr in it are whiteouts. */
        final boolean xattrWhiteouts;
        /** Names hidden by AUFS {@code .wh.NAME} files here; read on first need (see {@link #aufsWhiteouts}). */
        private volatile Set<String> aufsWhiteouts;

        Handle(Fd fd, boolean xattrWhiteouts) {
            this.fd = fd;
            this.xattrWhiteouts = xattrWhiteouts;
        }

        Fd fd() {
            return fd;
        }

        /**
         * The names this directory hides with AUFS whiteout files. One pass over the directory
         * replaces a statx of ".wh.NAME" per lookup. A snapshot: the write path must drop the
         * handle of a directory whose AUFS whiteouts it changes.
         */
        Set<String> aufsWhiteouts() throws ErrnoException {
            Set<String> names = aufsWhiteouts;
            if (names == null) {
                names = Set.of();
                try (Fd scan = Sys.openAt(fd, ".", Linux.O_RDONLY | Linux.O_DIRECTORY, 0)) {
                    for (DirEntry e : Sys.readDir(scan)) {
                        String n = e.name();
                        if (Whiteouts.isAufsName(n) && !n.equals(Whiteouts.AUFS_OPAQUE)) {
                            if (names.isEmpty()) {
                                names = new HashSet<>();
                            }
                            names.add(n.substring(Whiteouts.AUFS_PREFIX.length()));
                        }
                    }
                }
                aufsWhiteouts = names;
            }
            return names;
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
    private final Whiteouts whiteouts;
    private final Cache<Key, Handle> cache;

    DirHandles(List<Layer> layers, Whiteouts whiteouts, long maxOpen) {
        this.layers = layers;
        this.whiteouts = whiteouts;
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
        Fd fd = openFresh(layer, path);
        try {
            return new Handle(fd, whiteouts.marksXattrWhiteouts(fd));
        } catch (ErrnoException | RuntimeException e) {
            fd.close();
            throw e;
        }
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
