package jover.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.sys.Sys;
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
 * Writes the layers of a {@link TreeSpec} to disk in one {@link WhiteoutForm}. Order: create
 * everything, add whiteout and opaque markers, user xattrs, owners, then modes (chown clears
 * set-id bits), then times children first (so creating a child never moves its parent's mtime).
 * Names are raw bytes; nothing is ever followed through a symlink.
 */
public final class LayerWriter {
    private static final byte[] EMPTY = new byte[0];
    public static final String AUFS_PREFIX = ".wh.";
    public static final String AUFS_OPAQUE = ".wh..wh..opq";

    private LayerWriter() {
    }

    /** Creates {@code parent}/L0, L1, ... (L0 topmost) and writes each layer; returns their paths. */
    public static List<Path> write(TreeSpec spec, WhiteoutForm form, Path parent) throws IOException {
        Files.createDirectories(parent);
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            Path dir = parent.resolve("L" + i);
            writeLayer(spec.layers().get(i), form, dir);
            out.add(dir);
        }
        return out;
    }

    /**
     * Creates an empty upper and work directory; the upper root gets the top layer root's owner,
     * mode and times, so that the merged root (which shows the upper's attributes) looks the same
     * as without an upper.
     */
    public static void prepareUpper(TreeSpec spec, Path upper, Path work) throws IOException {
        Files.createDirectories(upper);
        Files.createDirectories(work);
        try {
            applyMeta(Raw.of(upper), spec.layers().get(0).root(), false);
            applyTimes(Raw.of(upper), spec.layers().get(0).root());
        } catch (ErrnoException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    public static void writeLayer(Layer layer, WhiteoutForm form, Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
            write(layer, form, Raw.of(dir));
        } catch (ErrnoException e) {
            throw new IOException("writing layer " + dir + " in form " + form + ": " + e.getMessage(), e);
        }
    }

    private static void write(Layer layer, WhiteoutForm form, String root) throws ErrnoException {
        SortedMap<String, Entry> entries = layer.entries();
        Set<String> xwhiteoutDirs = new HashSet<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            String rel = e.getKey();
            if (TreeSpec.nameOf(rel).startsWith(AUFS_PREFIX)) {
                throw new IllegalArgumentException("spec name starts with .wh.: " + Raw.display(rel));
            }
            String path = root + "/" + rel;
            Entry entry = e.getValue();
            if (entry instanceof Dir) {
                HostCalls.mkdir(path, 0700);
            } else if (entry instanceof File f) {
                writeFile(path, f);
            } else if (entry instanceof Symlink s) {
                HostCalls.symlink(s.target(), path);
            } else if (entry instanceof Fifo) {
                Sys.mknod(path, Linux.S_IFIFO | 0600, 0, 0);
            } else if (entry instanceof Whiteout) {
                String parentRel = TreeSpec.parentOf(rel);
                boolean parentOpaque = entries.get(parentRel) instanceof Dir d && d.opaque();
                writeWhiteout(form, root, rel, parentOpaque, xwhiteoutDirs);
            }
        }
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getValue() instanceof HardLink h) {
                HostCalls.link(root + "/" + h.target(), root + "/" + e.getKey());
            }
        }
        // opaque markers
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getValue() instanceof Dir d && d.opaque()) {
                markOpaque(form, root + "/" + e.getKey());
            }
        }
        for (String rel : xwhiteoutDirs) {
            String path = rel.isEmpty() ? root : root + "/" + rel;
            Sys.lsetxattr(path, privatePrefix(form) + "opaque", Raw.bytes("x"), 0);
        }
        // user xattrs, owners, then modes
        applyMeta(root, layer.root(), false);
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Meta m = metaOf(e.getValue());
            if (m != null) {
                applyMeta(root + "/" + e.getKey(), m, e.getValue() instanceof Symlink);
            }
        }
        // times: children before their parents (reverse path order), the root last
        List<String> paths = new ArrayList<>(entries.keySet());
        for (int i = paths.size() - 1; i >= 0; i--) {
            Meta m = metaOf(entries.get(paths.get(i)));
            if (m != null) {
                applyTimes(root + "/" + paths.get(i), m);
            }
        }
        applyTimes(root, layer.root());
    }

    private static Meta metaOf(Entry e) {
        if (e instanceof File f) {
            return f.meta();
        }
        if (e instanceof Dir d) {
            return d.meta();
        }
        if (e instanceof Symlink s) {
            return s.meta();
        }
        if (e instanceof Fifo p) {
            return p.meta();
        }
        return null;
    }

    private static void writeFile(String path, File f) throws ErrnoException {
        int fd = HostCalls.createFile(path, 0600);
        try {
            for (Extent x : f.content().extents()) {
                HostCalls.pwriteFully(fd, x.data(), x.offset(), path);
            }
            HostCalls.ftruncate(fd, f.content().size(), path);
        } finally {
            HostCalls.close(fd);
        }
    }

    private static String privatePrefix(WhiteoutForm form) {
        return form == WhiteoutForm.USERXATTR ? "user.overlay." : "trusted.overlay.";
    }

    private static void writeWhiteout(WhiteoutForm form, String root, String rel, boolean parentOpaque,
            Set<String> xwhiteoutDirs) throws ErrnoException {
        String path = root + "/" + rel;
        switch (form) {
            case KERNEL, FUSE_OVERLAYFS -> Sys.mknod(path, Linux.S_IFCHR, 0, 0);
            case XATTR, USERXATTR -> {
                if (parentOpaque) {
                    // "x" and "y" share one xattr: an opaque dir cannot hold xattr whiteouts
                    Sys.mknod(path, Linux.S_IFCHR, 0, 0);
                } else {
                    HostCalls.close(HostCalls.createFile(path, 0644));
                    Sys.lsetxattr(path, privatePrefix(form) + "whiteout", EMPTY, 0);
                    xwhiteoutDirs.add(TreeSpec.parentOf(rel));
                }
            }
            case AUFS -> {
                String parent = TreeSpec.parentOf(rel);
                String marker = root + "/" + TreeSpec.child(parent, AUFS_PREFIX + TreeSpec.nameOf(rel));
                HostCalls.close(HostCalls.createFile(marker, 0644));
            }
            default -> throw new IllegalStateException();
        }
    }

    private static void markOpaque(WhiteoutForm form, String path) throws ErrnoException {
        byte[] y = Raw.bytes("y");
        switch (form) {
            case KERNEL, XATTR -> Sys.lsetxattr(path, "trusted.overlay.opaque", y, 0);
            case USERXATTR -> Sys.lsetxattr(path, "user.overlay.opaque", y, 0);
            case FUSE_OVERLAYFS -> Sys.lsetxattr(path, "user.fuseoverlayfs.opaque", y, 0);
            case AUFS -> HostCalls.close(HostCalls.createFile(path + "/" + AUFS_OPAQUE, 0644));
            default -> throw new IllegalStateException();
        }
    }

    private static void applyMeta(String path, Meta m, boolean symlink) throws ErrnoException {
        for (Map.Entry<String, byte[]> x : m.xattrs().entrySet()) {
            Sys.lsetxattr(path, x.getKey(), x.getValue(), 0);
        }
        HostCalls.lchown(path, m.uid(), m.gid());
        if (!symlink) {
            HostCalls.chmod(path, m.mode() & 07777);
        }
    }

    private static void applyTimes(String path, Meta m) throws ErrnoException {
        HostCalls.lutimes(path, m.mtimeSec(), m.mtimeNsec(), m.mtimeSec(), m.mtimeNsec());
    }
}
