package jover.differential;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import jover.testing.TreeSpec;
import jover.testing.TreeSpec.Content;
import jover.testing.TreeSpec.Dir;
import jover.testing.TreeSpec.Entry;
import jover.testing.TreeSpec.Extent;
import jover.testing.TreeSpec.Fifo;
import jover.testing.TreeSpec.File;
import jover.testing.TreeSpec.HardLink;
import jover.testing.TreeSpec.Meta;
import jover.testing.TreeSpec.Symlink;
import jover.testing.TreeSpec.Whiteout;

/**
 * Lower layers as a list of small integer records ("genes") that QuickTheories generates and
 * shrinks: each puts one entry of some kind at one pool path of one layer. {@link #spec()} turns
 * them into a {@link TreeSpec}: genes apply in order, the first one for a path of a layer wins,
 * missing parents become plain directories, a gene whose parent is not a directory in its layer
 * (or a hard link whose target is not a file there yet) is dropped. Names overlap across layers
 * because they all come from {@link Pool#PATHS}.
 *
 * @param layers number of lower layers, 1 to 4
 * @param rootMode index into {@link Pool#ROOT_MODES} for the layer roots
 */
record LowerTree(int layers, int rootMode, List<Gene> genes) {

    enum Kind { DIR, FILE, OPAQUE_DIR, WHITEOUT, SYMLINK, FIFO, HARDLINK }

    /**
     * One entry. {@code variant}: file content class and seed, symlink target, hard link target;
     * {@code mode}, {@code owner}, {@code xattrs}: indexes into the pools.
     */
    record Gene(int layer, int path, Kind kind, int variant, int mode, int owner, int xattrs) {
    }

    LowerTree {
        genes = List.copyOf(genes);
    }

    TreeSpec spec() {
        List<Map<String, Entry>> maps = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            maps.add(new LinkedHashMap<>());
        }
        List<Gene> links = new ArrayList<>();
        for (Gene g : genes) {
            if (g.kind() == Kind.HARDLINK) {
                links.add(g);
                continue;
            }
            Map<String, Entry> m = maps.get(Math.floorMod(g.layer(), layers));
            String path = Pool.PATHS.get(Math.floorMod(g.path(), Pool.TREE_PATHS));
            if (m.containsKey(path) || !parentsAreDirs(m, path)) {
                continue;
            }
            addParents(m, path);
            m.put(path, entry(g, path));
        }
        for (Gene g : links) {
            Map<String, Entry> m = maps.get(Math.floorMod(g.layer(), layers));
            String path = Pool.PATHS.get(Math.floorMod(g.path(), Pool.TREE_PATHS));
            String target = Pool.PATHS.get(Math.floorMod(g.variant(), Pool.TREE_PATHS));
            if (m.containsKey(path) || !parentsAreDirs(m, path) || !(m.get(target) instanceof File)) {
                continue;
            }
            addParents(m, path);
            m.put(path, new HardLink(target));
        }
        List<TreeSpec.Layer> out = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            Meta root = new Meta(Pool.pick(Pool.ROOT_MODES, rootMode), 0, 0, new TreeMap<>(), 1_500_000_000L + i, 0);
            out.add(new TreeSpec.Layer(root, new TreeMap<>(maps.get(i))));
        }
        return new TreeSpec(out);
    }

    private static boolean parentsAreDirs(Map<String, Entry> m, String path) {
        for (String p = TreeSpec.parentOf(path); !p.isEmpty(); p = TreeSpec.parentOf(p)) {
            Entry e = m.get(p);
            if (e != null && !(e instanceof Dir)) {
                return false;
            }
        }
        return true;
    }

    private static void addParents(Map<String, Entry> m, String path) {
        List<String> missing = new ArrayList<>();
        for (String p = TreeSpec.parentOf(path); !p.isEmpty(); p = TreeSpec.parentOf(p)) {
            if (!m.containsKey(p)) {
                missing.add(0, p);
            }
        }
        for (String p : missing) {
            m.put(p, new Dir(Meta.of(0755).withMtime(1_550_000_000L, 0), false));
        }
    }

    private static Entry entry(Gene g, String path) {
        int[] owner = Pool.OWNERS[Math.floorMod(g.owner(), Pool.OWNERS.length)];
        long mtime = 1_500_000_000L + 1000L * Math.floorMod(g.path(), Pool.TREE_PATHS) + g.layer();
        return switch (g.kind()) {
            case DIR, OPAQUE_DIR -> new Dir(meta(Pool.DIR_MODES, g, owner, mtime, true), g.kind() == Kind.OPAQUE_DIR);
            case FILE -> new File(meta(Pool.FILE_MODES, g, owner, mtime, true), content(g.variant()));
            case SYMLINK -> new Symlink(new Meta(0777, owner[0], owner[1], new TreeMap<>(), mtime, 0),
                    Pool.pick(Pool.TARGETS, g.variant()));
            case FIFO -> new Fifo(meta(Pool.FIFO_MODES, g, owner, mtime, false));
            case WHITEOUT -> new Whiteout();
            case HARDLINK -> throw new IllegalStateException("hard links are added last");
        };
    }

    private static Meta meta(int[] modes, Gene g, int[] owner, long mtime, boolean xattrs) {
        Meta m = new Meta(Pool.pick(modes, g.mode()), owner[0], owner[1], new TreeMap<>(), mtime, 0);
        if (!xattrs) {
            return m;
        }
        switch (Math.floorMod(g.xattrs(), 4)) {
            case 1 -> m = m.withXattr("user.a", new byte[] {'1'});
            case 2 -> m = m.withXattr("user.a", new byte[] {'2'}).withXattr("user.b", "lower".getBytes());
            case 3 -> m = m.withXattr("user.c", new byte[0]);
            default -> {
            }
        }
        return m;
    }

    /** Empty, small, medium, over 64 KiB, or sparse (a few MiB, data in two or three extents). */
    static Content content(int variant) {
        int v = Math.floorMod(variant, 1000);
        Random r = new Random(v);
        return switch (v % 5) {
            case 0 -> Content.of(new byte[0]);
            case 1 -> Content.of(bytes(r, 1 + r.nextInt(300)));
            case 2 -> Content.of(bytes(r, 4000 + r.nextInt(2000)));
            case 3 -> Content.of(bytes(r, 64 * 1024 + 1 + r.nextInt(100_000)));
            default -> {
                long size = (1L << 20) + 100_000 + r.nextInt(3 << 20);
                List<Extent> ex = new ArrayList<>();
                ex.add(new Extent(4096L * r.nextInt(4), bytes(r, 1 + r.nextInt(5000))));
                ex.add(new Extent((1L << 20) - 4096 + 4096L * r.nextInt(16), bytes(r, 1 + r.nextInt(9000))));
                if (r.nextBoolean()) {
                    ex.add(new Extent(size - 10, bytes(r, 10)));
                }
                yield new Content(size, ex);
            }
        };
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** One line per gene, for failure reports (the spec's own description follows it). */
    String describe() {
        return layers + " layer(s), root mode " + String.format("%04o", Pool.pick(Pool.ROOT_MODES, rootMode)) + "\n"
                + spec().describe();
    }
}
