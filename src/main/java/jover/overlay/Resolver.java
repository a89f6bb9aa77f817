package jover.overlay;

import java.util.Arrays;
import java.util.List;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Stat;
import jover.sys.Sys;

/**
 * Looks a name up through the layers of its parent directory, top-down: a whiteout hides the
 * name below it; a non-directory ends the search; a directory merges with the directories of the
 * same name below until an opaque one, a non-directory or a whiteout is met.
 */
final class Resolver {
    private final List<Layer> layers;
    private final DirHandles handles;
    private final Whiteouts whiteouts;
    private final Origins origins;

    Resolver(List<Layer> layers, DirHandles handles, Whiteouts whiteouts, Origins origins) {
        this.layers = layers;
        this.handles = handles;
        this.whiteouts = whiteouts;
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
            Stat st;
            try (DirHandles.Handle parent = handles.acquire(layer, parentPath)) {
                try {
                    st = Sys.statAt(parent.fd(), name);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.ENOENT) {
                        throw e;
                    }
                    if (whiteouts.hasAufsWhiteout(parent, name)) {
                        break;
                    }
                    continue;
                }
                if (whiteouts.isWhiteout(st, parent, name)) {
                    break;
                }
            }
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
            if (isOpaque(layer, path)) {
                break;
            }
        }
        if (top == null) {
            throw new ErrnoException(Errno.ENOENT, "lookup", name);
        }
        Entry e = Entry.of(top, topLayer, top.isDir() ? Arrays.copyOf(dirs, ndirs) : null);
        return layers.get(topLayer).writable() ? withIdentity(parentPath, name, e) : e;
    }

    /** An upper entry with the identity of its copy-up origin, when it has one. */
    Entry withIdentity(String parentPath, String name, Entry e) throws ErrnoException {
        try (DirHandles.Handle parent = handles.acquire(e.layer(), parentPath)) {
            return origins.withIdentity(e, parent.fd(), name);
        }
    }

    /**
     * Whether {@code name} is visible in the lower layers of a directory (its upper layer left
     * out): deleting or replacing it in the upper then needs a whiteout, and a directory moved
     * there must be opaque.
     */
    boolean visibleBelowUpper(String parentPath, int[] parentLayers, String name) throws ErrnoException {
        int from = 0;
        while (from < parentLayers.length && layers.get(parentLayers[from]).writable()) {
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

    private boolean isOpaque(int layer, String path) throws ErrnoException {
        try (DirHandles.Handle dir = handles.acquire(layer, path)) {
            return whiteouts.isOpaque(dir.fd());
        }
    }

    /** Fresh attributes of the real file behind {@code entry} at {@code path}. */
    Stat restat(String path, Entry entry) throws ErrnoException {
        if (entry.isDir()) {
            try (DirHandles.Handle dir = handles.acquire(entry.layer(), path)) {
                return Sys.stat(dir.fd());
            }
        }
        int slash = path.lastIndexOf('/');
        String parent = slash < 0 ? "" : path.substring(0, slash);
        try (DirHandles.Handle dir = handles.acquire(entry.layer(), parent)) {
            return Sys.statAt(dir.fd(), path.substring(slash + 1));
        }
    }
}
