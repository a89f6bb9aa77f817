package jover.differential;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import jover.sys.Raw;
import jover.testing.FsCalls;

/**
 * The small, fixed vocabularies that generated trees and operations pick from by index, so that
 * names collide (about 20 paths over 3 levels), values shrink towards the first entry, and an
 * operation serializes as a few integers. Every symlink target here is either relative and
 * downward (no "..": following it from anywhere inside the mount stays inside the mount, even
 * after renames) or absolute under /nonexistent-jover-test.
 */
final class Pool {
    private Pool() {
    }

    static String utf8(String s) {
        return Raw.of(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Paths relative to the mount root, raw strings; the last one is the root itself. */
    static final List<String> PATHS = List.of(
            "a", "b", "c", "d", "e",
            "a/f", "a/g", "b/f", "b/g", "c/f", "d/f",
            "a/f/h", "a/f/i", "a/g/h", "b/f/h", "b/g/h", "c/f/h",
            "x y", utf8("a/\u00e9"),
            "");

    /** Paths a lower layer may hold (all but the root). */
    static final int TREE_PATHS = PATHS.size() - 1;

    /** The directory every absolute target points into; it must not exist on the host. */
    static final String NONEXISTENT = "/nonexistent-jover-test";

    static final List<String> TARGETS = List.of(
            "a", "b", "f", "h", "e", "f/h", "a/f", "a/f/h", "missing", ".",
            NONEXISTENT + "/a", NONEXISTENT, utf8("\u00e9"), "long/".repeat(150) + "end");

    static final int[] FILE_MODES = {0644, 0600, 0755, 0666, 0444, 0000, 04755, 02755, 0640, 01644};
    static final int[] DIR_MODES = {0755, 0777, 0700, 0555, 01777, 0775, 0711, 02775};
    static final int[] FIFO_MODES = {0644, 0666, 0600};
    static final int[] ROOT_MODES = {0755, 0777, 0711};
    /** Modes given to create, mkdir, mknod, chmod (umask applies to the creating ones). */
    static final int[] OP_MODES = {0644, 0755, 0600, 0777, 0000, 04755, 02775, 01777, 0444, 0700, 06755, 0666};

    /** Owners of generated entries: uid, gid. */
    static final int[][] OWNERS = {{0, 0}, {1000, 1000}, {1234, 1234}, {0, 1000}, {1000, 0}};
    /** chown arguments (-1 keeps the value). */
    static final int[] CHOWN_IDS = {0, 1000, -1, 1234};
    static final int[] UMASKS = {022, 0, 077, 027};

    /** The unprivileged caller of "who = 1" operations. */
    static final int USER_UID = 1000;
    static final int USER_GID = 1000;

    static final long[] OFFSETS = {0, 1, 100, 4095, 65536, 70001, (1L << 20) + 7, 3L << 20};
    static final int[] READ_LENGTHS = {4096, 1, 100, 70000, 200_000};
    static final long[] TRUNCATE_LENGTHS = {0, 1, 50, 4096, 65537, 1L << 20, 5L << 20};
    static final int[] DATA_SIZES = {5, 1, 100, 4096, 5000, 70000};

    /**
     * xattr names operations set and remove; the last one is never generated: the runner uses it
     * to copy a file up on jover's side only (see {@link DeliberateDifferences}).
     */
    static final List<String> XATTR_NAMES = List.of("user.a", "user.b", "user.fuseoverlayfs.opaque",
            "trusted.overlay.opaque", "trusted.t", "user.overlay.opaque", "user.fuseoverlayfs.x",
            "user.jover-diff-sync");
    static final int SYNC_XATTR = 7;
    static final List<String> XATTR_VALUES = List.of("v", "", "y", "x", "z".repeat(300));
    static final int[] XATTR_FLAGS = {0, jover.sys.Linux.XATTR_CREATE, jover.sys.Linux.XATTR_REPLACE};

    /** rename flags: plain, RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT. */
    static final int[] RENAME_FLAGS = {0, FsCalls.RENAME_NOREPLACE, FsCalls.RENAME_EXCHANGE, FsCalls.RENAME_WHITEOUT};

    /** utimensat arguments: {atime sec, atime nsec, mtime sec, mtime nsec}; NOW/OMIT as in C. */
    static final long[][] TIMES = {
        {1_400_000_000L, 0, 1_400_000_000L, 5},
        {0, FsCalls.UTIME_NOW, 0, FsCalls.UTIME_NOW},
        {0, FsCalls.UTIME_OMIT, 1_300_000_000L, 123_456_789},
        {1_700_000_000L, 0, 0, FsCalls.UTIME_OMIT},
    };

    /** Access modes of access(2). */
    static final int[] ACCESS_MODES = {jover.sys.Linux.R_OK, jover.sys.Linux.W_OK, jover.sys.Linux.X_OK, 0,
        jover.sys.Linux.R_OK | jover.sys.Linux.W_OK};

    /** Held descriptors per caller and mount. */
    static final int SLOTS = 4;

    /** Deterministic bytes: {@code DATA_SIZES[size]} bytes of a pattern chosen by {@code seed}. */
    static byte[] data(int size, int seed) {
        int n = DATA_SIZES[Math.floorMod(size, DATA_SIZES.length)];
        byte[] b = new byte[n];
        new Random(seed * 7919L + n).nextBytes(b);
        return b;
    }

    static String path(int i) {
        return PATHS.get(Math.floorMod(i, PATHS.size()));
    }

    static String shown(String raw) {
        return raw.isEmpty() ? "/" : Raw.display(raw);
    }

    static <T> T pick(List<T> list, int i) {
        return list.get(Math.floorMod(i, list.size()));
    }

    static int pick(int[] a, int i) {
        return a[Math.floorMod(i, a.length)];
    }

    static long pick(long[] a, int i) {
        return a[Math.floorMod(i, a.length)];
    }
}
