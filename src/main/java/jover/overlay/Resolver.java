package jover.overlay;

import java.util.Arrays;
import java.util.List;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Stat;

/**
 * Looks a name up through the layers of its parent directory, top-down: a whiteout hides the
 * name below it; a non-directory ends the search; a directory merges with the directories of the
 * same name below until an opaque one, a non-directory or a whiteout is met.
 */
final class Resolver {
    private final List<LayerReader> readers;
    private final Origins origins;

    /** @param readers one per layer, by layer index */
    Resolver(List<LayerReader> readers, Origins origins) {
        this.readers = readers;
        this.origins = origins;
    }

    static String childPath(String parentPath, String name) {
        return parentPath.isEmpty() ? name : parentPath + "/" + name;
    }

    /** Resolves {@code name} in the directory at {@code parentPath}; ENOENT when it is not there. */
    Entry lookup(String parentPath, int[] parentLayers, String name) throws ErrnoException {
        if (Whiteouts.isAufsName(name)) {
            throw new ErrnoException(Errno.ENOENT, "lookup", name);
        }
        String path = childPath(parentPath, name);
        Stat top = null;
        int topLayer = -1;
        int[] dirs = new int[parentLayers.length];
        int ndirs = 0;
        for (int layer : parentLayers) {
            LayerReader.Found found = readers.get(layer).find(parentPath, name);
            if (found.kind() == LayerReader.Kind.WHITEOUT) {
                break;
            }
            if (found.kind() == LayerReader.Kind.ABSENT) {
                continue;
            }
            Stat st = found.stat();
            if (top != null && !st.isDir()) {
                break; // a non-directory below a directory is hidden and ends the merge
            }
            if (top == null) {
                top = st;
                topLayer = layer;
                if (!st.isDir()) {
                    break;
                }
            }
            dirs[ndirs++] = layer;
            if (readers.get(layer).isOpaque(path)) {
                break;
            }
        }
        if (top == null) {
            throw new ErrnoException(Errno.ENOENT, "lookup", name);
        }
        Entry e = Entry.of(top, topLayer, top.isDir() ? Arrays.copyOf(dirs, ndirs) : null);
        return readers.get(topLayer).layer().writable() ? withIdentity(parentPath, name, e) : e;
    }

    /** An upper entry with the identity of its copy-up origin, when it has one. */
    Entry withIdentity(String parentPath, String name, Entry e) throws ErrnoException {
        return readers.get(e.layer()).inDir(parentPath, dir -> origins.withIdentity(e, dir, name));
    }

    /**
     * Whether {@code name} is visible in the lower layers of a directory (its upper layer left
     * out): deleting or replacing it in the upper then needs a whiteout, and a directory moved
     * there must be opaque.
     */
    boolean visibleBelowUpper(String parentPath, int[] parentLayers, String name) throws ErrnoException {
        int from = 0;
        while (from < parentLayers.length && readers.get(parentLayers[from]).layer().writable()) {
            from++;
        }
        if (from == parentLayers.length) {
            return false;
        }
        try {
            lookup(parentPath, Arrays.copyOfRange(parentLayers, from, parentLayers.length), name);
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /** Fresh attributes of the real file behind {@code entry} at {@code path}. */
    Stat restat(String path, Entry entry) throws ErrnoException {
        LayerReader reader = readers.get(entry.layer());
        if (entry.isDir()) {
            return reader.statDir(path);
        }
        int slash = path.lastIndexOf('/');
        return reader.stat(slash < 0 ? "" : path.substring(0, slash), path.substring(slash + 1));
    }
}
