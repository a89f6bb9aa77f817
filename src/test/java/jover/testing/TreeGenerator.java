package jover.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import jover.sys.Raw;
import jover.testing.TreeSpec.Content;
import jover.testing.TreeSpec.Dir;
import jover.testing.TreeSpec.Entry;
import jover.testing.TreeSpec.Extent;
import jover.testing.TreeSpec.Fifo;
import jover.testing.TreeSpec.File;
import jover.testing.TreeSpec.HardLink;
import jover.testing.TreeSpec.Layer;
import jover.testing.TreeSpec.Meta;
import jover.testing.TreeSpec.Symlink;
import jover.testing.TreeSpec.Whiteout;

/**
 * Deterministic random {@link TreeSpec}s: the same seed gives the same tree (java.util.Random is
 * specified bit for bit). Names come from a small shared pool so that layers overlap; each path
 * has a preferred kind (derived from the seed and the path) that most layers follow, so
 * directories merge several levels deep, while the rest conflict (file over directory, whiteouts
 * of files and of directories, opaque directories, symlinks over directories).
 *
 * <p>Generated symlink targets never leave the tree: absolute ones name /nonexistent-jover-test/...,
 * relative ones climb at most as many levels as they are deep.
 */
public final class TreeGenerator {

    /** Shape limits. */
    public record Options(int minLayers, int maxLayers, int maxDepth, int maxEntriesPerLayer) {
        public static Options defaults() {
            return new Options(2, 4, 4, 160);
        }
    }

    private static String utf8(String s) {
        return Raw.of(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Names most directories use: these make the layers overlap. */
    static final List<String> COMMON = List.of("a", "b", "dir", "file", "x y", utf8("café"));

    /** Names used now and then: spaces, non-ASCII (UTF-8 and an invalid byte), dots, long. */
    static final List<String> RARE = List.of("c", " lead", "trail ", utf8("日本語"), "bad\u00ff", "\u00e9raw",
            ".hidden", "-dash", "...", "tab\tname", "n".repeat(200), "a.b", "UPPER", "#%&'", "sp  ace",
            "wh", ".whx", "opq");

    static final int[] FILE_MODES = {0644, 0644, 0600, 0755, 0444, 0640, 0666, 0000, 04755, 02755, 06750, 01644};
    static final int[] DIR_MODES = {0755, 0755, 0700, 0775, 01777, 0555, 02775, 0711};
    static final int[] FIFO_MODES = {0644, 0600, 0666};
    static final int[] IDS = {0, 0, 0, 1000, 1234, 65534, 100000};
    static final String[] XATTR_NAMES = {"user.test", "user.mime_type", "user.k1", "user.with space", "user.empty"};

    private enum Kind { DIR, OPAQUE_DIR, FILE, SYMLINK, FIFO, WHITEOUT, HARDLINK }

    private final long seed;
    private final Options options;
    private final Random rnd;

    private TreeGenerator(long seed, Options options) {
        this.seed = seed;
        this.options = options;
        this.rnd = new Random(seed);
    }

    public static TreeSpec generate(long seed) {
        return generate(seed, Options.defaults());
    }

    public static TreeSpec generate(long seed, Options options) {
        return new TreeGenerator(seed, options).build();
    }

    private TreeSpec build() {
        int n = options.minLayers() + rnd.nextInt(options.maxLayers() - options.minLayers() + 1);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            List<String> files = new ArrayList<>();
            genDir(entries, files, "", 0, i == n - 1);
            layers.add(new Layer(rootMeta(), new TreeMap<>(entries)));
        }
        return new TreeSpec(layers);
    }

    private void genDir(Map<String, Entry> entries, List<String> files, String dir, int depth, boolean bottom) {
        List<String> names = new ArrayList<>();
        double common = depth == 0 ? 0.85 : 0.55;
        for (String name : COMMON) {
            if (rnd.nextDouble() < common) {
                names.add(name);
            }
        }
        for (String name : RARE) {
            if (rnd.nextDouble() < 0.08) {
                names.add(name);
            }
        }
        for (String name : names) {
            if (entries.size() >= options.maxEntriesPerLayer()) {
                return;
            }
            String path = TreeSpec.child(dir, name);
            Kind kind = rnd.nextDouble() < 0.65 ? preferredKind(path) : randomKind(bottom);
            if ((kind == Kind.DIR || kind == Kind.OPAQUE_DIR) && depth >= options.maxDepth()) {
                kind = Kind.FILE;
            }
            if (kind == Kind.HARDLINK && files.isEmpty()) {
                kind = Kind.FILE;
            }
            switch (kind) {
                case DIR, OPAQUE_DIR -> {
                    entries.put(path, new Dir(meta(DIR_MODES, true), kind == Kind.OPAQUE_DIR));
                    genDir(entries, files, path, depth + 1, bottom);
                }
                case FILE -> {
                    entries.put(path, new File(meta(FILE_MODES, true), content()));
                    files.add(path);
                }
                case SYMLINK -> entries.put(path, new Symlink(meta(new int[] {0777}, false), target(depth)));
                case FIFO -> entries.put(path, new Fifo(meta(FIFO_MODES, false)));
                case WHITEOUT -> entries.put(path, new Whiteout());
                case HARDLINK -> entries.put(path, new HardLink(files.get(rnd.nextInt(files.size()))));
                default -> throw new IllegalStateException();
            }
        }
    }

    /** The kind most layers give this path: the same in every layer of one seed. */
    private Kind preferredKind(String path) {
        Random r = new Random(seed * 31 + path.hashCode());
        int x = r.nextInt(100);
        if (x < 48) {
            return Kind.DIR;
        }
        if (x < 88) {
            return Kind.FILE;
        }
        if (x < 95) {
            return Kind.SYMLINK;
        }
        return Kind.FIFO;
    }

    private Kind randomKind(boolean bottom) {
        int x = rnd.nextInt(100);
        if (x < 26) {
            return Kind.DIR;
        }
        if (x < 32) {
            return Kind.OPAQUE_DIR;
        }
        if (x < 60) {
            return Kind.FILE;
        }
        if (x < 69) {
            return Kind.SYMLINK;
        }
        if (x < 73) {
            return Kind.FIFO;
        }
        if (x < 92) {
            return bottom && rnd.nextBoolean() ? Kind.FILE : Kind.WHITEOUT;
        }
        return Kind.HARDLINK;
    }

    private Meta rootMeta() {
        int[] modes = {0755, 0775, 0711, 0755};
        int uid = rnd.nextInt(4) == 0 ? 1000 : 0;
        return new Meta(modes[rnd.nextInt(modes.length)], uid, uid, new TreeMap<>(), mtime(), rnd.nextInt(1_000_000_000));
    }

    private long mtime() {
        return 978_307_200L + (rnd.nextLong() >>> 1) % 1_000_000_000L;
    }

    private Meta meta(int[] modes, boolean xattrs) {
        int mode = modes[rnd.nextInt(modes.length)];
        int uid = IDS[rnd.nextInt(IDS.length)];
        int gid = rnd.nextInt(3) == 0 ? IDS[rnd.nextInt(IDS.length)] : uid;
        TreeMap<String, byte[]> x = new TreeMap<>();
        if (xattrs && rnd.nextInt(4) == 0) {
            int k = 1 + rnd.nextInt(3);
            for (int i = 0; i < k; i++) {
                String name = XATTR_NAMES[rnd.nextInt(XATTR_NAMES.length)];
                byte[] value = new byte[name.equals("user.empty") ? 0 : rnd.nextInt(40)];
                rnd.nextBytes(value);
                x.put(name, value);
            }
        }
        return new Meta(mode, uid, gid, x, mtime(), rnd.nextInt(1_000_000_000));
    }

    private Content content() {
        int x = rnd.nextInt(100);
        if (x < 15) {
            return Content.of(new byte[0]);
        }
        if (x < 60) {
            return Content.of(bytes(1 + rnd.nextInt(300)));
        }
        if (x < 80) {
            return Content.of(bytes(300 + rnd.nextInt(20_000)));
        }
        if (x < 92) {
            return Content.of(bytes(64 * 1024 + 1 + rnd.nextInt(240 * 1024)));
        }
        // sparse: 64 KiB .. 16 MiB with one to three data extents on 4 KiB boundaries
        long size = 64L * 1024 + (rnd.nextLong() >>> 1) % (16L * 1024 * 1024);
        long blocks = size / 4096;
        int k = 1 + rnd.nextInt(3);
        List<Extent> extents = new ArrayList<>();
        long nextFree = 0;
        for (int i = 0; i < k; i++) {
            long remaining = blocks - nextFree;
            if (remaining < 4) {
                break;
            }
            long block = nextFree + 1 + (rnd.nextLong() >>> 1) % (remaining / (k - i));
            int len = 1 + rnd.nextInt(8 * 1024);
            long offset = block * 4096;
            if (offset + len > size) {
                break;
            }
            extents.add(new Extent(offset, bytes(len)));
            nextFree = (offset + len + 4095) / 4096 + 1;
        }
        if (rnd.nextBoolean() && size - 100 > nextFree * 4096) {
            extents.add(new Extent(size - 100, bytes(100)));  // data right at the end
        }
        return new Content(size, extents);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private String target(int depth) {
        int x = rnd.nextInt(9);
        String name = COMMON.get(rnd.nextInt(COMMON.size()));
        return switch (x) {
            case 0 -> name;
            case 1, 2 -> "../".repeat(Math.min(depth, 1 + rnd.nextInt(3))) + name;
            case 3 -> "/nonexistent-jover-test/" + name;
            case 4 -> "dir/file";
            case 5 -> ".";
            case 6 -> "long/".repeat(200) + "end";
            case 7 -> utf8("café/") + "bad\u00ff";
            default -> "/nonexistent-jover-test";
        };
    }
}
