package jover.overlay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jover.sys.DirEntry;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Stat;
import jover.sys.Sys;

/**
 * Builds the entries of a merged directory: each layer's records, top-down; a name seen in an
 * upper layer hides the same name below; whiteouts hide names below their own layer and are
 * never listed, nor is any AUFS {@code .wh.} name.
 */
final class MergedListing {
    /** One listed name with the st_ino that stat reports for it and its d_type. */
    record Item(String name, long ino, int type) {
    }

    private final List<LayerReader> readers;
    private final Whiteouts whiteouts;
    private final InodeNumbers inodes;
    private final Origins origins;

    MergedListing(List<LayerReader> readers, Whiteouts whiteouts, InodeNumbers inodes, Origins origins) {
        this.readers = readers;
        this.whiteouts = whiteouts;
        this.inodes = inodes;
        this.origins = origins;
    }

    /** The merged entries of the directory at {@code path}, without "." and "..". */
    List<Item> list(String path, int[] dirLayers) throws ErrnoException {
        return list(path, dirLayers, (name, ino) -> null, false);
    }

    /**
     * The inode number a live node reports for an upper entry, which may differ from what its
     * xattrs say (a copy-up that could not record its origin keeps the lower number while the
     * node lives, as the kernel's dentry does).
     */
    interface LiveIdentity {
        /** The identity the live node of {@code name} whose real inode is {@code realIno} reports, or null. */
        FileId of(String name, long realIno);
    }

    /**
     * The listing a READDIR returns: as {@link #list(String, int[])}, with numbers of live
     * nodes, and with {@code clean} a pure upper directory marked impure whose entries all turn
     * out to report their own inode numbers loses the mark, as the kernel's readdir removes it.
     */
    List<Item> list(String path, int[] dirLayers, LiveIdentity live, boolean clean) throws ErrnoException {
        Map<String, Item> items = new LinkedHashMap<>();
        Set<String> hidden = new HashSet<>();
        for (int layer : dirLayers) {
            Set<String> hiddenHere = new HashSet<>();
            try (Fd dir = readers.get(layer).openDir(path)) {
                long dev = Sys.stat(dir).dev();
                boolean xattrWhiteouts = whiteouts.marksXattrWhiteouts(dir);
                // Upper entries may report their copy-up origin's inode number (as stat does):
                // in a merged directory, or in an upper one marked impure.
                boolean impure = readers.get(layer).layer().writable() && this.origins.isImpure(dir);
                boolean origins = readers.get(layer).layer().writable() && (dirLayers.length > 1 || impure);
                boolean originsUsed = false;
                for (DirEntry e : Sys.readDir(dir)) {
                    String name = e.name();
                    if (e.isDotOrDotDot()) {
                        continue;
                    }
                    if (Whiteouts.isAufsName(name)) {
                        if (!name.equals(Whiteouts.AUFS_OPAQUE)) {
                            hiddenHere.add(name.substring(Whiteouts.AUFS_PREFIX.length()));
                        }
                        continue;
                    }
                    if (items.containsKey(name) || hidden.contains(name)) {
                        continue;
                    }
                    int type = e.type();
                    if (type == DirEntry.DT_UNKNOWN) {
                        type = Linux.dtype(Sys.statAt(dir, name).mode());
                    }
                    if (type == DirEntry.DT_CHR && Sys.statAt(dir, name).isCharDevice00()) {
                        hiddenHere.add(name);
                        continue;
                    }
                    if (type == DirEntry.DT_REG && xattrWhiteouts && whiteouts.isXattrWhiteout(dir, name)) {
                        hiddenHere.add(name);
                        continue;
                    }
                    FileId id = null;
                    if (origins) {
                        id = live.of(name, e.ino());
                        if (id == null) {
                            id = this.origins.originOf(dir, name);
                        }
                    }
                    boolean other = id != null && (id.dev() != dev || id.ino() != e.ino());
                    originsUsed |= other;
                    // mapped once: a number outside the layers' ranges takes a fallback slot for good
                    long ino = other ? inodes.map(id.dev(), id.ino()) : inodes.map(dev, e.ino());
                    items.put(name, new Item(name, ino, type));
                }
                if (clean && impure && dirLayers.length == 1 && !originsUsed) {
                    this.origins.clearImpure(dir);
                }
            }
            hidden.addAll(hiddenHere);
        }
        return new ArrayList<>(items.values());
    }

    /** The d_type of a file mode. */
    static int dtype(Stat st) {
        return Linux.dtype(st.mode());
    }
}
