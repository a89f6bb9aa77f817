package jover.overlay;

import jover.sys.Stat;

/**
 * What a name resolves to in the merged tree: the topmost real file's attributes and layer
 * and, for a directory, every layer whose directory merges into it (topmost first, ending at
 * an opaque one). Immutable: a node's entry is replaced, not changed.
 *
 * @param stat      the topmost real file's attributes
 * @param layer     the layer it was found in
 * @param dirLayers for a directory, the merging layers; null otherwise
 * @param idDev     device of the file whose inode number is reported: the copy-up origin for an
 *                  upper file that has one, else the topmost real file
 * @param idIno     that file's inode number
 *
 * <p>The reported identity is kept as two numbers rather than a {@link FileId}, to spare an
 * object per node; {@link #id} and {@link #realFile} give both identities as FileIds.
 */
record Entry(Stat stat, int layer, int[] dirLayers, long idDev, long idIno) {

    /** The identity reported for this entry (its copy-up origin's, or its own). */
    FileId id() {
        return new FileId(idDev, idIno);
    }

    /** The real file this entry resolves to. */
    FileId realFile() {
        return FileId.of(stat);
    }

    /** Whether this entry reports another file's identity (its copy-up origin's). */
    boolean hasOtherIdentity() {
        return idIno != stat.ino() || idDev != stat.dev();
    }

    /** This entry reporting {@code id}. */
    Entry withIdentity(FileId id) {
        return new Entry(stat, layer, dirLayers, id.dev(), id.ino());
    }

    /** An entry whose identity is its own real file. */
    static Entry of(Stat stat, int layer, int[] dirLayers) {
        return new Entry(stat, layer, dirLayers, stat.dev(), stat.ino());
    }

    boolean isDir() {
        return dirLayers != null;
    }

    /** A directory present in more than one layer (reports nlink 1, as the kernel's does). */
    boolean isMerged() {
        return dirLayers != null && dirLayers.length > 1;
    }

    /** The same entry with fresh attributes of the same real file. */
    Entry withStat(Stat fresh) {
        return new Entry(fresh, layer, dirLayers, idDev, idIno);
    }

    /**
     * The key under which names of this real file are one node, or null: a non-directory with
     * several links in the upper layer (in any layer when the mount has no upper). Kernel
     * overlayfs makes such names one inode; lower hard links under an upper are kept apart,
     * as their copy-ups will be different files (index=off).
     */
    Object linkKey(boolean hasUpper) {
        if (isDir() || stat.nlink() < 2 || hasUpper && layer != 0) {
            return null;
        }
        return realFile();
    }

    /**
     * The entry a node with this one keeps when a lookup finds {@code fresh} at its name, or
     * null when the name now denotes another object. A node copied up without a recorded
     * origin keeps the lower inode number while it lives (as the kernel's dentry keeps its
     * lower part).
     */
    Entry afterLookup(Entry fresh) {
        if (sameObject(fresh)) {
            return fresh;
        }
        return sameRealFile(fresh) ? fresh.withIdentityOf(this) : null;
    }

    /** Whether two entries are the same real file in the same layer (whatever identity each reports). */
    boolean sameRealFile(Entry other) {
        return layer == other.layer && stat.ino() == other.stat.ino() && stat.dev() == other.stat.dev()
                && isDir() == other.isDir();
    }

    /** This entry reporting {@code other}'s identity. */
    Entry withIdentityOf(Entry other) {
        return new Entry(stat, layer, dirLayers, other.idDev, other.idIno);
    }

    /** Whether two entries denote the same merged object: same identity, same kind. */
    boolean sameObject(Entry other) {
        return idIno == other.idIno && idDev == other.idDev && isDir() == other.isDir();
    }
}
