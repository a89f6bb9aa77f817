package jover.overlay;

import java.util.List;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Stat;
import jover.sys.Sys;

/**
 * One layer as the overlay reads it: every access relative to a cached descriptor of a directory
 * of the layer ({@link DirHandles}), never through a host path, and every whiteout form read in
 * one place ({@link #find}, with {@link Whiteouts}). Paths are paths inside the layer ("" is its
 * root), names single components. The upper's writes go through {@link UpperFormat}.
 */
final class LayerReader {
    /** What a name is in one directory of a layer. */
    enum Kind { ABSENT, WHITEOUT, PRESENT }

    /** A name found in a directory: absent, whited out, or present with its attributes. */
    record Found(Kind kind, Stat stat) {
        static final Found ABSENT = new Found(Kind.ABSENT, null);
        static final Found WHITEOUT = new Found(Kind.WHITEOUT, null);
    }

    /** Work done relative to one directory's descriptor. */
    @FunctionalInterface
    interface InDir<T> {
        T run(Fd dir) throws ErrnoException;
    }

    private final Layer layer;
    private final DirHandles handles;
    private final Whiteouts whiteouts;

    LayerReader(Layer layer, DirHandles handles, Whiteouts whiteouts) {
        this.layer = layer;
        this.handles = handles;
        this.whiteouts = whiteouts;
    }

    Layer layer() {
        return layer;
    }

    /** What {@code name} is in the directory at {@code dirPath}: absent, a whiteout (any form), or present. */
    Found find(String dirPath, String name) throws ErrnoException {
        try (DirHandles.Handle dir = handles.acquire(layer.index(), dirPath)) {
            Stat st;
            try {
                st = Sys.statAt(dir.fd(), name);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
                return whiteouts.hasAufsWhiteout(dir, name) ? Found.WHITEOUT : Found.ABSENT;
            }
            return whiteouts.isWhiteout(st, dir, name) ? Found.WHITEOUT : new Found(Kind.PRESENT, st);
        }
    }

    /** Whether the directory at {@code path} is opaque, in any form. */
    boolean isOpaque(String path) throws ErrnoException {
        return inDir(path, whiteouts::isOpaque);
    }

    /** The attributes of the directory at {@code path}. */
    Stat statDir(String path) throws ErrnoException {
        return inDir(path, Sys::stat);
    }

    /** The attributes of {@code name} in the directory at {@code dirPath} (a final symlink not followed). */
    Stat stat(String dirPath, String name) throws ErrnoException {
        return inDir(dirPath, dir -> Sys.statAt(dir, name));
    }

    String readlink(String dirPath, String name) throws ErrnoException {
        return inDir(dirPath, dir -> Sys.readlinkAt(dir, name));
    }

    /** The value of xattr {@code xname} of {@code name} in {@code dirPath}, or of the directory itself when name is null. */
    byte[] getxattr(String dirPath, String name, String xname) throws ErrnoException {
        return inDir(dirPath, dir -> name == null ? Sys.fgetxattr(dir, xname) : Sys.getxattrAt(dir, name, xname));
    }

    /** The xattr names of {@code name} in {@code dirPath}, or of the directory itself when name is null. */
    List<String> listxattr(String dirPath, String name) throws ErrnoException {
        return inDir(dirPath, dir -> name == null ? Sys.flistxattr(dir) : Sys.listxattrAt(dir, name));
    }

    /** Runs {@code work} with the (cached) descriptor of the directory at {@code path}. */
    <T> T inDir(String path, InDir<T> work) throws ErrnoException {
        try (DirHandles.Handle dir = handles.acquire(layer.index(), path)) {
            return work.run(dir.fd());
        }
    }

    /** Opens the file at {@code path} (never following a symlink on the way or at the end). */
    Fd open(String path, int flags) throws ErrnoException {
        return Sys.openBeneath(layer.root(), path, flags | Linux.O_NOFOLLOW);
    }

    /** Opens the directory at {@code path} uncached, for reading its entries. */
    Fd openDir(String path) throws ErrnoException {
        return handles.openFresh(layer.index(), path);
    }
}
