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
 */
record Entry(Stat stat, int layer, int[] dirLayers) {

    boolean isDir() {
        return dirLayers != null;
    }

    /** A directory present in more than one layer (reports nlink 1, as the kernel's does). */
    boolean isMerged() {
        return dirLayers != null && dirLayers.length > 1;
    }

    /** Whether two entries denote the same merged object (same real file on top, same kind). */
    boolean sameObject(Entry other) {
        return layer == other.layer && stat.ino() == other.stat.ino() && stat.dev() == other.stat.dev()
                && isDir() == other.isDir();
    }
}
