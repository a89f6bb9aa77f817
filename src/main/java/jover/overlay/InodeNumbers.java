package jover.overlay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes st_ino unique across the filesystems the layers live on, since a FUSE mount has one
 * st_dev. When every layer is on one filesystem the real numbers are unique already and are
 * reported unchanged. Otherwise each filesystem gets an index stored in the top bits of the
 * number (as kernel overlayfs's xino does); the highest index is reserved for the fallback: a
 * real number that already uses the top bits, or one from a filesystem first seen after mount
 * (a submount inside a layer), gets the next number from a counter in that reserved range. Such
 * numbers are stable for the life of the mount, not across remounts.
 */
public final class InodeNumbers {
    private final long[] devs;
    private final int shift;
    private final long lowMask;
    private final long fallbackBase;
    private final Map<Long, Map<Long, Long>> fallback = new ConcurrentHashMap<>();
    private final AtomicLong nextFallback = new AtomicLong(1);

    /** @param layerDevs the device of each layer's root, in any order, duplicates allowed */
    public InodeNumbers(long[] layerDevs) {
        this.devs = java.util.Arrays.stream(layerDevs).distinct().toArray();
        int bits = 64 - Long.numberOfLeadingZeros(devs.length); // room for every dev + the reserved index
        shift = 64 - bits;
        lowMask = (1L << shift) - 1;
        fallbackBase = ((1L << bits) - 1) << shift;
    }

    /** The st_ino jover reports for real inode {@code ino} on device {@code dev}. */
    public long map(long dev, long ino) {
        for (int i = 0; i < devs.length; i++) {
            if (devs[i] == dev) {
                return (ino & ~lowMask) == 0 ? ((long) i << shift) | ino : fallback(dev, ino);
            }
        }
        return fallback(dev, ino);
    }

    private long fallback(long dev, long ino) {
        return fallback.computeIfAbsent(dev, d -> new ConcurrentHashMap<>())
                .computeIfAbsent(ino, i -> fallbackBase | (nextFallback.getAndIncrement() & lowMask));
    }
}
