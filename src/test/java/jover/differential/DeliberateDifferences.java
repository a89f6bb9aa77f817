package jover.differential;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one list of the ways jover is allowed to differ from kernel overlayfs in the differential
 * runs, each with its reason (docs/differences.md says the same for readers of the README). Any
 * difference not accepted here fails the run. Each acceptance is as narrow as the difference:
 * it names the operation or observation it applies to and checks what jover shows instead.
 */
final class DeliberateDifferences {
    private DeliberateDifferences() {
    }

    enum Difference {
        /**
         * Kernel overlayfs passes readdir of a directory that exists in one layer only (an
         * opaque one, say) straight to that layer, so it lists the whiteouts in it, although
         * looking them up fails (ls -l shows c?????????); jover does not list a name it cannot
         * look up. Accepted: a name the kernel lists whose lstat on the kernel says ENOENT, that
         * jover does not list, and that is a whiteout on disk in one of the kernel's layers.
         */
        KERNEL_LISTS_WHITEOUTS("kernel readdir lists whiteouts of single-layer directories; jover lists only names "
                + "that can be looked up"),
        /**
         * jover reads user.fuseoverlayfs.* as fuse-overlayfs's private markers (user.fuseoverlayfs.opaque
         * makes a directory opaque in layers that container engines unpacked), so it refuses to
         * set or remove such names through the mount (EOPNOTSUPP): a caller could otherwise
         * change what the merged tree shows. The kernel treats them as ordinary user xattrs.
         * Accepted: lsetxattr/lremovexattr of a user.fuseoverlayfs.* name answered EOPNOTSUPP by
         * jover. The runner then makes the two mounts equal again: it removes the name on the
         * kernel's side and copies the file up on jover's (set and remove another user xattr),
         * as the kernel's call did.
         */
        FUSEOVERLAYFS_XATTRS("jover refuses set/remove of user.fuseoverlayfs.* (its opaque markers): EOPNOTSUPP"),
        /**
         * With passthrough the data of an open file is served by the kernel from a backing file
         * fixed at open; a copy-up cannot move an existing descriptor to the new upper file
         * (fuse-protocol.md), so a descriptor opened read-only before a copy-up keeps reading
         * the lower file. Kernel overlayfs does that only for mmap; its read(2) sees the copy.
         * Accepted only when jover runs with passthrough (not passthrough=off): a read or fstat
         * through such a descriptor that gives exactly what the descriptor showed when it was
         * opened, where the kernel gives something newer.
         */
        PASSTHROUGH_STALE_READER("with passthrough, a read-only fd opened before a copy-up keeps reading the lower "
                + "file"),
        /**
         * Kernel overlayfs (6.18) refuses rmdir with ENOTEMPTY of a lower directory whose only
         * entries are xattr whiteouts (a zero-size file with overlay.whiteout in a directory
         * marked opaque "x"), although its readdir shows the directory empty and lookups of
         * those names fail; with character-device whiteouts the same rmdir succeeds. jover
         * removes the directory, as it does for the other whiteout forms: a directory that shows
         * empty can be removed. Not met in the random runs (the kernel's copy of the layers
         * always carries character-device whiteouts); pinned by
         * {@link DeliberateDifferencesPinTest}.
         */
        KERNEL_RMDIR_XATTR_WHITEOUTS("kernel rmdir says ENOTEMPTY for a directory holding only xattr whiteouts; "
                + "jover removes it"),
        /**
         * With -o userxattr a symlink or fifo copied up cannot get an origin xattr; kernel
         * overlayfs then keeps reporting the lower st_ino through the name it was copied up
         * under, while the dentry lives, but a hard link made to it reports the upper file's
         * number: one inode, two numbers by name. A FUSE inode has one st_ino, so jover shows
         * the kept lower number for both names (after a remount both show the upper one, on
         * both). Accepted: an st_ino contradiction in a userxattr run where one of the two
         * kernel numbers is the real inode of a non-directory in the kernel's upper with
         * several names and no origin xattr.
         */
        KERNEL_LINK_NAMES_TWO_NUMBERS("kernel: a hard link to a file copied up without origin shows another st_ino "
                + "than its first name; jover one number for both");

        final String summary;

        Difference(String summary) {
            this.summary = summary;
        }
    }

    private static final Map<Difference, Long> SEEN = new EnumMap<>(Difference.class);

    static synchronized void count(Difference d) {
        SEEN.merge(d, 1L, Long::sum);
    }

    /** How often each difference was met so far in this JVM. */
    static synchronized String counts() {
        List<String> out = new ArrayList<>();
        for (Difference d : Difference.values()) {
            out.add(d + " " + SEEN.getOrDefault(d, 0L));
        }
        return String.join(", ", out);
    }

    // ---- KERNEL_LISTS_WHITEOUTS ----

    /** A readdir outcome without the items the executor marked ":phantom" (listed, lstat ENOENT). */
    static String withoutPhantoms(String readdirText) {
        if (!readdirText.startsWith("ok [") || !readdirText.contains(":phantom")) {
            return readdirText;
        }
        String inner = readdirText.substring(4, readdirText.length() - 1);
        List<String> kept = new ArrayList<>();
        for (String item : inner.isEmpty() ? new String[0] : inner.split(", ")) {
            if (!item.endsWith(":phantom")) {
                kept.add(item);
            }
        }
        return "ok [" + String.join(", ", kept) + "]";
    }

    // ---- FUSEOVERLAYFS_XATTRS ----

    static boolean isFuseOverlayfsXattrOp(Op op) {
        return (op.kind() == Op.Kind.SETXATTR || op.kind() == Op.Kind.REMOVEXATTR)
                && Pool.pick(Pool.XATTR_NAMES, op.b()).startsWith("user.fuseoverlayfs.");
    }

    /** jover's refusal of a user.fuseoverlayfs.* change. */
    static boolean fuseOverlayfsXattrRefused(Op op, Outcome jover) {
        return isFuseOverlayfsXattrOp(op) && jover.text().equals("EOPNOTSUPP");
    }

    // ---- PASSTHROUGH_STALE_READER ----

    /** jover gave what the read-only descriptor showed at open, the kernel something else. */
    static boolean staleRead(Op op, Outcome kernel, Outcome jover, boolean passthrough) {
        if (!passthrough || jover.stale() == null) {
            return false;
        }
        boolean kind = op.kind() == Op.Kind.FD_READ || op.kind() == Op.Kind.FD_STAT
                || op.kind() == Op.Kind.READ_THEN_WRITE;
        return kind && jover.text().equals(jover.stale()) && !kernel.text().equals(jover.text());
    }
}
