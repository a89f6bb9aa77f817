package jover.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import jover.sys.Raw;

/**
 * An abstract overlay: lower layers (topmost first), each a map from relative path (raw string,
 * '/'-separated, no leading slash) to an {@link Entry}. A {@link LayerWriter} puts it on disk in
 * any {@link WhiteoutForm}; {@link #expectedView()} says what a correct overlay shows for it.
 * Build one by hand with {@link #builder()} or from a seed with {@link TreeGenerator}.
 */
public final class TreeSpec {

    /** Attributes every entry with an inode of its own carries. Symlinks ignore the mode. */
    public record Meta(int mode, int uid, int gid, SortedMap<String, byte[]> xattrs, long mtimeSec, int mtimeNsec) {
        public Meta {
            xattrs = Collections.unmodifiableSortedMap(new TreeMap<>(xattrs));
        }

        public static final long DEFAULT_MTIME = 1_600_000_000L;

        public static Meta of(int mode) {
            return new Meta(mode, 0, 0, new TreeMap<>(), DEFAULT_MTIME, 0);
        }

        public Meta withMode(int newMode) {
            return new Meta(newMode, uid, gid, xattrs, mtimeSec, mtimeNsec);
        }

        public Meta withOwner(int newUid, int newGid) {
            return new Meta(mode, newUid, newGid, xattrs, mtimeSec, mtimeNsec);
        }

        public Meta withXattr(String name, byte[] value) {
            SortedMap<String, byte[]> x = new TreeMap<>(xattrs);
            x.put(name, value.clone());
            return new Meta(mode, uid, gid, x, mtimeSec, mtimeNsec);
        }

        public Meta withMtime(long sec, int nsec) {
            return new Meta(mode, uid, gid, xattrs, sec, nsec);
        }
    }

    /** Bytes at an offset of a file; everything between extents is a hole. */
    public record Extent(long offset, byte[] data) {
    }

    /** A regular file's data: {@code size} bytes, zero outside the extents (which must not overlap). */
    public record Content(long size, List<Extent> extents) {
        public Content {
            extents = List.copyOf(extents);
            for (Extent e : extents) {
                if (e.offset() < 0 || e.offset() + e.data().length > size) {
                    throw new IllegalArgumentException("extent outside the file");
                }
            }
        }

        public static Content of(byte[] data) {
            return new Content(data.length, data.length == 0 ? List.of() : List.of(new Extent(0, data.clone())));
        }

        public static Content of(String text) {
            return of(text.getBytes(StandardCharsets.UTF_8));
        }

        /** True when the extents leave holes (the writer then only writes the extents and truncates). */
        public boolean sparse() {
            long covered = 0;
            for (Extent e : extents) {
                covered += e.data().length;
            }
            return covered < size;
        }

        /** Hex SHA-256 of the whole content, holes read as zeros. */
        public String sha256() {
            MessageDigest md = TreeSnapshot.sha256Digest();
            List<Extent> sorted = new ArrayList<>(extents);
            sorted.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            byte[] zeros = new byte[64 * 1024];
            long pos = 0;
            for (Extent e : sorted) {
                pos = zeroFill(md, zeros, pos, e.offset());
                md.update(e.data());
                pos = e.offset() + e.data().length;
            }
            zeroFill(md, zeros, pos, size);
            return HexFormat.of().formatHex(md.digest());
        }

        private static long zeroFill(MessageDigest md, byte[] zeros, long from, long to) {
            long pos = from;
            while (pos < to) {
                int n = (int) Math.min(zeros.length, to - pos);
                md.update(zeros, 0, n);
                pos += n;
            }
            return pos;
        }
    }

    /** One path of one layer. */
    public sealed interface Entry permits File, Dir, Symlink, Fifo, HardLink, Whiteout {
    }

    public record File(Meta meta, Content content) implements Entry {
    }

    /** A directory; {@code opaque} hides same-named directories of the layers below. */
    public record Dir(Meta meta, boolean opaque) implements Entry {
    }

    /** A symbolic link; its meta's mode is ignored (always 0777), its xattrs must be empty. */
    public record Symlink(Meta meta, String target) implements Entry {
    }

    /** A named pipe; the snapshot never opens it. */
    public record Fifo(Meta meta) implements Entry {
    }

    /** Another name for the regular file at {@code target} in the same layer. */
    public record HardLink(String target) implements Entry {
    }

    /** Hides the name in all layers below. */
    public record Whiteout() implements Entry {
    }

    /** One layer: the attributes of its root directory and its entries by path. */
    public record Layer(Meta root, SortedMap<String, Entry> entries) {
        public Layer {
            entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
        }
    }

    private final List<Layer> layers;

    public TreeSpec(List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no layers");
        }
        this.layers = List.copyOf(layers);
        for (Layer l : this.layers) {
            validate(l);
        }
    }

    /** Lower layers, topmost first. */
    public List<Layer> layers() {
        return layers;
    }

    /** Number of entries of all layers. */
    public int size() {
        int n = 0;
        for (Layer l : layers) {
            n += l.entries().size();
        }
        return n;
    }

    /** Paths that are whiteouts in some layer. */
    public java.util.Set<String> whiteoutPaths() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (Layer l : layers) {
            l.entries().forEach((p, e) -> {
                if (e instanceof Whiteout) {
                    out.add(p);
                }
            });
        }
        return out;
    }

    private static void validate(Layer layer) {
        for (Map.Entry<String, Entry> e : layer.entries().entrySet()) {
            String path = e.getKey();
            if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
                throw new IllegalArgumentException("bad path '" + Raw.display(path) + "'");
            }
            for (String part : path.split("/")) {
                if (part.equals(".") || part.equals("..") || part.indexOf('\0') >= 0 || part.length() > 255) {
                    throw new IllegalArgumentException("bad name in '" + Raw.display(path) + "'");
                }
            }
            String parent = parentOf(path);
            if (!parent.isEmpty() && !(layer.entries().get(parent) instanceof Dir)) {
                throw new IllegalArgumentException("parent of '" + Raw.display(path) + "' is not a directory");
            }
            if (e.getValue() instanceof HardLink h && !(layer.entries().get(h.target()) instanceof File)) {
                throw new IllegalArgumentException("hard link '" + Raw.display(path) + "' to a non-file");
            }
            if (e.getValue() instanceof Symlink s && (!s.meta().xattrs().isEmpty() || s.target().isEmpty())) {
                throw new IllegalArgumentException("symlink '" + Raw.display(path) + "': xattrs or empty target");
            }
            if (e.getValue() instanceof Fifo f && !f.meta().xattrs().isEmpty()) {
                throw new IllegalArgumentException("fifo '" + Raw.display(path) + "' with user xattrs");
            }
        }
    }

    public static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    public static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    public static String child(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    // ---- the view the spec implies ----

    /**
     * What a correct overlay of these layers shows, as a snapshot (no inode numbers): a name is
     * looked up top-down; a whiteout hides it and everything below; a non-directory ends the
     * search (and is ignored under a directory found above); directories merge downwards until an
     * opaque directory. A merged directory shows the topmost one's attributes. Hard-linked files
     * show the link count they have in their layer.
     */
    public TreeSnapshot expectedView() {
        Map<String, TreeSnapshot.Entry> out = new TreeMap<>();
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            all.add(i);
        }
        out.put("", dirEntry(layers.get(0).root()));
        viewDir("", all, out);
        return TreeSnapshot.expected(out);
    }

    private void viewDir(String dir, List<Integer> contributing, Map<String, TreeSnapshot.Entry> out) {
        // names in this directory, in any contributing layer
        SortedMap<String, Boolean> names = new TreeMap<>();
        for (int li : contributing) {
            for (String path : childrenOf(layers.get(li), dir)) {
                names.put(nameOf(path), Boolean.TRUE);
            }
        }
        for (String name : names.keySet()) {
            String path = child(dir, name);
            Entry first = null;
            int firstLayer = -1;
            List<Integer> dirLayers = new ArrayList<>();
            for (int li : contributing) {
                Entry e = layers.get(li).entries().get(path);
                if (e == null) {
                    continue;
                }
                if (e instanceof Whiteout) {
                    break;
                }
                if (first == null) {
                    first = e;
                    firstLayer = li;
                    if (!(e instanceof Dir)) {
                        break;
                    }
                } else if (!(e instanceof Dir)) {
                    break;
                }
                dirLayers.add(li);
                if (((Dir) e).opaque()) {
                    break;
                }
            }
            if (first == null) {
                continue;
            }
            Layer layer = layers.get(firstLayer);
            if (first instanceof Dir d) {
                out.put(path, dirEntry(d.meta()));
                viewDir(path, dirLayers, out);
            } else {
                out.put(path, nonDirEntry(layer, path, first));
            }
        }
    }

    private static List<String> childrenOf(Layer layer, String dir) {
        List<String> out = new ArrayList<>();
        String prefix = dir.isEmpty() ? "" : dir + "/";
        for (String path : layer.entries().tailMap(prefix).keySet()) {
            if (!path.startsWith(prefix)) {
                break;
            }
            if (path.indexOf('/', prefix.length()) < 0) {
                out.add(path);
            }
        }
        return out;
    }

    private static TreeSnapshot.Entry dirEntry(Meta m) {
        return new TreeSnapshot.Entry('d', m.mode() & 07777, m.uid(), m.gid(), -1, null, null, hexXattrs(m),
                0, m.mtimeSec(), m.mtimeNsec());
    }

    private static TreeSnapshot.Entry nonDirEntry(Layer layer, String path, Entry e) {
        String inodePath = path;
        if (e instanceof HardLink h) {
            inodePath = h.target();
            e = layer.entries().get(h.target());
        }
        if (e instanceof File f) {
            Meta m = f.meta();
            return new TreeSnapshot.Entry('f', m.mode() & 07777, m.uid(), m.gid(), f.content().size(),
                    f.content().sha256(), null, hexXattrs(m), linkCount(layer, inodePath), m.mtimeSec(),
                    m.mtimeNsec());
        }
        if (e instanceof Symlink s) {
            Meta m = s.meta();
            return new TreeSnapshot.Entry('l', 0777, m.uid(), m.gid(), Raw.bytes(s.target()).length, null,
                    s.target(), hexXattrs(m), 1, m.mtimeSec(), m.mtimeNsec());
        }
        if (e instanceof Fifo p) {
            Meta m = p.meta();
            return new TreeSnapshot.Entry('p', m.mode() & 07777, m.uid(), m.gid(), -1, null, null, hexXattrs(m),
                    1, m.mtimeSec(), m.mtimeNsec());
        }
        throw new IllegalStateException("unexpected " + e);
    }

    private static int linkCount(Layer layer, String filePath) {
        int n = 1;
        for (Entry e : layer.entries().values()) {
            if (e instanceof HardLink h && h.target().equals(filePath)) {
                n++;
            }
        }
        return n;
    }

    static SortedMap<String, String> hexXattrs(Meta m) {
        SortedMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> x : m.xattrs().entrySet()) {
            out.put(x.getKey(), HexFormat.of().formatHex(x.getValue()));
        }
        return out;
    }

    /** A short description of the layers, for failure messages. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < layers.size(); i++) {
            b.append("layer ").append(i).append(i == 0 ? " (top)" : "").append(":\n");
            for (Map.Entry<String, Entry> e : layers.get(i).entries().entrySet()) {
                b.append("  ").append(Raw.display(e.getKey())).append(" = ").append(describe(e.getValue()))
                        .append('\n');
            }
        }
        return b.toString();
    }

    private static String describe(Entry e) {
        if (e instanceof File f) {
            return "file " + f.content().size() + (f.content().sparse() ? " sparse" : "") + " mode "
                    + Integer.toOctalString(f.meta().mode());
        }
        if (e instanceof Dir d) {
            return (d.opaque() ? "opaque dir" : "dir") + " mode " + Integer.toOctalString(d.meta().mode());
        }
        if (e instanceof Symlink s) {
            return "symlink -> " + Raw.display(s.target());
        }
        if (e instanceof HardLink h) {
            return "hardlink -> " + Raw.display(h.target());
        }
        if (e instanceof Fifo) {
            return "fifo";
        }
        return "whiteout";
    }

    // ---- building by hand ----

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a spec layer by layer, topmost first. */
    public static final class Builder {
        private final List<LayerBuilder> layers = new ArrayList<>();

        /** Starts the next layer below those started so far (the first is the topmost). */
        public LayerBuilder layer() {
            LayerBuilder l = new LayerBuilder(this);
            layers.add(l);
            return l;
        }

        public TreeSpec build() {
            List<Layer> out = new ArrayList<>();
            for (LayerBuilder l : layers) {
                out.add(new Layer(l.root, new TreeMap<>(l.entries)));
            }
            return new TreeSpec(out);
        }
    }

    /** Adds entries to one layer; missing parent directories are added as plain 0755 dirs. */
    public static final class LayerBuilder {
        private final Builder owner;
        private Meta root = Meta.of(0755);
        private final Map<String, Entry> entries = new LinkedHashMap<>();

        private LayerBuilder(Builder owner) {
            this.owner = owner;
        }

        /** Starts the next layer down (fluent form of {@link Builder#layer()}). */
        public LayerBuilder layer() {
            return owner.layer();
        }

        /** Builds the whole spec (fluent form of {@link Builder#build()}). */
        public TreeSpec build() {
            return owner.build();
        }

        public LayerBuilder root(Meta meta) {
            root = meta;
            return this;
        }

        public LayerBuilder put(String path, Entry entry) {
            String parent = parentOf(path);
            if (!parent.isEmpty() && !entries.containsKey(parent)) {
                dir(parent);
            }
            entries.put(path, entry);
            return this;
        }

        public LayerBuilder dir(String path) {
            return put(path, new Dir(Meta.of(0755), false));
        }

        public LayerBuilder dir(String path, Meta meta) {
            return put(path, new Dir(meta, false));
        }

        public LayerBuilder opaqueDir(String path) {
            return put(path, new Dir(Meta.of(0755), true));
        }

        public LayerBuilder file(String path, String text) {
            return put(path, new File(Meta.of(0644), Content.of(text)));
        }

        public LayerBuilder file(String path, byte[] data) {
            return put(path, new File(Meta.of(0644), Content.of(data)));
        }

        public LayerBuilder file(String path, Content content, Meta meta) {
            return put(path, new File(meta, content));
        }

        public LayerBuilder symlink(String path, String target) {
            return put(path, new Symlink(Meta.of(0777), target));
        }

        public LayerBuilder fifo(String path) {
            return put(path, new Fifo(Meta.of(0644)));
        }

        public LayerBuilder hardlink(String path, String target) {
            return put(path, new HardLink(target));
        }

        public LayerBuilder whiteout(String path) {
            return put(path, new Whiteout());
        }
    }
}
