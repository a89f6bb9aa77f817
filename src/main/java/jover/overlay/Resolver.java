package jover.overlay;

import java.util.Arrays;
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
    private final DirHandles handles;
    private final Whiteouts whiteouts;

    Resolver(DirHandles handles, Whiteouts whiteouts) {
        this.handles = handles;
        this.whiteouts = whiteouts;
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
        return new Entry(top, topLayer, top.isDir() ? Arrays.copyOf(dirs, ndirs) : null);
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
