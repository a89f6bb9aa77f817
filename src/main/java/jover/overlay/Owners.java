package jover.overlay;

import java.util.List;

/**
 * The owners files show through the mount, and the owners changes store, as fuse-overlayfs's
 * {@code uidmapping=}, {@code gidmapping=} and {@code squash_to_*} options define them. A range
 * maps {@code count} ids from {@code disk} on (as the layers store them: a container's ids) to
 * ids from {@code shown} on (as the mount shows them: the host ids a user namespace maps to
 * those). An id outside every range shows, or is stored, as the overflow id. A squash id, when
 * set, is what every file shows; what is stored is still mapped. Ids are unsigned 32-bit values.
 */
public record Owners(List<Range> uids, List<Range> gids, long squashUid, long squashGid, long overflowUid,
                     long overflowGid) {
    /** {@code count} ids from {@code disk} on show as the ids from {@code shown} on. */
    public record Range(long disk, long shown, long count) {
    }

    /** Owners shown as stored. */
    public static final Owners AS_STORED = new Owners(List.of(), List.of(), -1, -1, 0, 0);

    /**
     * @param uids        uid ranges (none: uids as stored)
     * @param gids        gid ranges (none: gids as stored)
     * @param squashUid   the uid every file shows, or -1
     * @param squashGid   the gid every file shows, or -1
     * @param overflowUid the uid of an id outside every range (the kernel's overflowuid)
     * @param overflowGid the same for gids
     */
    public Owners {
        uids = List.copyOf(uids);
        gids = List.copyOf(gids);
    }

    /** The uid a file stored with {@code disk} shows. */
    int shownUid(int disk) {
        return squashUid >= 0 ? (int) squashUid : toShown(uids, disk, overflowUid);
    }

    int shownGid(int disk) {
        return squashGid >= 0 ? (int) squashGid : toShown(gids, disk, overflowGid);
    }

    /** The uid stored for {@code shown} (a caller's, or a chown's); -1 ("unchanged") stays -1. */
    int diskUid(int shown) {
        return shown == -1 ? -1 : toDisk(uids, shown, overflowUid);
    }

    int diskGid(int shown) {
        return shown == -1 ? -1 : toDisk(gids, shown, overflowGid);
    }

    private static int toShown(List<Range> ranges, int id, long overflow) {
        return map(ranges, id, overflow, true);
    }

    private static int toDisk(List<Range> ranges, int id, long overflow) {
        return map(ranges, id, overflow, false);
    }

    /** Maps one (unsigned) id through the range that holds it, from the stored side or from the shown side. */
    private static int map(List<Range> ranges, int id, long overflow, boolean fromDisk) {
        if (ranges.isEmpty()) {
            return id;
        }
        long u = Integer.toUnsignedLong(id);
        for (Range r : ranges) {
            long from = fromDisk ? r.disk() : r.shown();
            long to = fromDisk ? r.shown() : r.disk();
            if (u >= from && u - from < r.count()) {
                return (int) (to + (u - from));
            }
        }
        return (int) overflow;
    }
}
