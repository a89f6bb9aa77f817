package jover.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import jover.sys.Raw;

/** Assertions shared by the mount tests, with messages that show the differences. */
public final class OverlayAssertions {
    private OverlayAssertions() {
    }

    /** Same paths and attributes; the message lists the first 50 differences. */
    public static void assertSameTree(TreeSnapshot expected, TreeSnapshot actual, String expectedName,
            String actualName, Supplier<String> context) {
        String diff = expected.diff(actual, expectedName, actualName);
        assertTrue(diff.isEmpty(), () -> context.get() + "\n" + diff);
    }

    /** No anomaly at all (d_ino/d_type mismatches, st_ino collisions, private xattrs, phantoms, errors). */
    public static void assertConsistent(TreeSnapshot snapshot, String name, Supplier<String> context) {
        List<String> anomalies = snapshot.anomalies();
        assertTrue(anomalies.isEmpty(), () -> context.get() + "\n" + name + ": " + anomalies.size()
                + " anomalies:\n  " + String.join("\n  ", anomalies.subList(0, Math.min(50, anomalies.size()))));
    }

    /**
     * Kernel overlayfs's own consistency: as {@link #assertConsistent} except that it may list
     * whiteouts of directories that exist in one layer only (see {@link TreeSnapshot#phantoms()}).
     */
    public static void assertKernelConsistent(TreeSnapshot kernel, TreeSpec spec, Supplier<String> context) {
        Set<String> whiteouts = spec.whiteoutPaths();
        List<String> unexpected = new ArrayList<>();
        for (String p : kernel.phantoms()) {
            if (!whiteouts.contains(p)) {
                unexpected.add("/" + Raw.display(p));
            }
        }
        assertEquals(List.of(), unexpected, () -> context.get() + "\nkernel listed names that are not whiteouts "
                + "but do not stat");
        List<String> anomalies = new ArrayList<>(kernel.anomalies());
        anomalies.removeIf(a -> a.startsWith("listed, but lstat says ENOENT"));
        assertTrue(anomalies.isEmpty(), () -> context.get() + "\nkernel anomalies:\n  " + String.join("\n  ",
                anomalies.subList(0, Math.min(50, anomalies.size()))));
    }

    /** No path component starts with {@code .wh.}. */
    public static void assertNoAufsNames(TreeSnapshot snapshot, Supplier<String> context) {
        List<String> wh = snapshot.pathsWithNamePrefix(LayerWriter.AUFS_PREFIX);
        assertEquals(List.of(), wh, () -> context.get() + "\n.wh.* names visible");
    }
}
