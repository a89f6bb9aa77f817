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
 */
record Entry(Stat stat, int layer, int[] dirLayers, long idDev, long idIno) {

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

    /** Whether two entries denote the same merged object: same identity, same kind. */
    boolean sameObject(Entry other) {
        return idIno == other.idIno && idDev == other.idDev && isDir() == other.isDir();
    }
}
