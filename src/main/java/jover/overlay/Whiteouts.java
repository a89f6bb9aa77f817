package jover.overlay;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jover.sys.DirEntry;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.sys.Stat;
import jover.sys.Sys;

/**
 * The whiteout and opaque-directory forms jover reads (shared/overlay-semantics.md):
 * <ul>
 * <li>whiteout: character device 0/0; an empty regular file with the overlay "whiteout" xattr
 *     in a directory whose overlay "opaque" xattr is "x"; an AUFS {@code .wh.NAME} file beside it;
 * <li>opaque directory: overlay "opaque" xattr "y"; {@code user.fuseoverlayfs.opaque} "y";
 *     an AUFS {@code .wh..wh..opq} file inside.
 * </ul>
 * The overlay xattrs are {@code trusted.overlay.*}, or {@code user.overlay.*} in userxattr mode.
 */
final class Whiteouts {
    static final String AUFS_PREFIX = ".wh.";
    static final String AUFS_OPAQUE = ".wh..wh..opq";
    static final String FUSE_OVERLAYFS_PREFIX = "user.fuseoverlayfs.";
    private static final byte[] YES = {'y'};
    private static final byte[] X = {'x'};

    private final String prefix;
    private final String opaqueXattr;
    private final String whiteoutXattr;

    Whiteouts(boolean userXattr) {
        this.prefix = userXattr ? "user.overlay." : "trusted.overlay.";
        this.opaqueXattr = prefix + "opaque";
        this.whiteoutXattr = prefix + "whiteout";
    }

    /** "trusted.overlay." or, in userxattr mode, "user.overlay.". */
    String xattrPrefix() {
        return prefix;
    }

    /**
     * The name under which a layer stores the xattr called {@code name} in the merged view.
     * Overlay-private names are escaped as kernel overlayfs (6.7+) escapes them for nested
     * overlays: {@code trusted.overlay.X} is kept as {@code trusted.overlay.overlay.X}, so jover's
     * own metadata can never be read or set through the mount.
     */
    String layerXattr(String name) {
        return name.startsWith(prefix) ? prefix + "overlay." + name.substring(prefix.length()) : name;
    }

    /**
     * The name under which a layer's xattr {@code real} shows in the merged view, or null when
     * it is overlay metadata (the overlay's own, or fuse-overlayfs's), never shown.
     */
    String mergedXattr(String real) {
        if (real.startsWith(prefix)) {
            String rest = real.substring(prefix.length());
            return rest.startsWith("overlay.") ? prefix + rest.substring("overlay.".length()) : null;
        }
        return real.startsWith(FUSE_OVERLAYFS_PREFIX) ? null : real;
    }

    /** Whether a directory entry name is AUFS metadata, never shown. */
    static boolean isAufsName(String name) {
        return name.startsWith(AUFS_PREFIX);
    }

    /** Whether the open directory's opaque xattr is "x": it may hold xattr whiteouts. */
    boolean marksXattrWhiteouts(Fd dir) throws ErrnoException {
        return Arrays.equals(xattrOrNull(dir, opaqueXattr), X);
    }

    /**
     * What a directory says about the whiteouts in it, noted once per cached descriptor: whether
     * its opaque xattr is "x" (empty files with a whiteout xattr in it are whiteouts), and the
     * names its AUFS {@code .wh.NAME} files hide, read on first need. A snapshot: the write path
     * must drop the handle of a directory whose AUFS whiteouts it changes.
     */
    private final class DirForms {
        final boolean xattrWhiteouts;
        private volatile Set<String> aufsWhiteouts;

        DirForms(Fd dir) throws ErrnoException {
            this.xattrWhiteouts = marksXattrWhiteouts(dir);
        }

        /** One pass over the directory replaces a statx of ".wh.NAME" per lookup. */
        Set<String> aufsWhiteouts(Fd dir) throws ErrnoException {
            Set<String> names = aufsWhiteouts;
            if (names == null) {
                names = readAufsWhiteouts(dir);
                aufsWhiteouts = names;
            }
            return names;
        }
    }

    private DirForms forms(DirHandles.Handle dir) throws ErrnoException {
        return dir.memo(DirForms::new);
    }

    private static Set<String> readAufsWhiteouts(Fd dir) throws ErrnoException {
        Set<String> names = Set.of();
        try (Fd scan = Sys.openAt(dir, ".", Linux.O_RDONLY | Linux.O_DIRECTORY, 0)) {
            for (DirEntry e : Sys.readDir(scan)) {
                String n = e.name();
                if (isAufsName(n) && !n.equals(AUFS_OPAQUE)) {
                    if (names.isEmpty()) {
                        names = new HashSet<>();
                    }
                    names.add(n.substring(AUFS_PREFIX.length()));
                }
            }
        }
        return names;
    }

    /** Whether {@code name}, found in {@code parent} with attributes {@code st}, is a whiteout. */
    boolean isWhiteout(Stat st, DirHandles.Handle parent, String name) throws ErrnoException {
        if (st.isCharDevice00()) {
            return true;
        }
        if (st.isReg() && st.size() == 0 && forms(parent).xattrWhiteouts) {
            try {
                Sys.getxattrAt(parent.fd(), name, whiteoutXattr);
                return true;
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENODATA) {
                    throw e;
                }
            }
        }
        return false;
    }

    /** Whether an AUFS whiteout for {@code name} stands in {@code parent}. */
    boolean hasAufsWhiteout(DirHandles.Handle parent, String name) throws ErrnoException {
        return forms(parent).aufsWhiteouts(parent.fd()).contains(name);
    }

    /** Whether the open directory is opaque in any form. */
    boolean isOpaque(Fd dir) throws ErrnoException {
        List<String> names = Sys.flistxattr(dir);
        if (names.contains(opaqueXattr) && Arrays.equals(xattrOrNull(dir, opaqueXattr), YES)) {
            return true;
        }
        String fo = FUSE_OVERLAYFS_PREFIX + "opaque";
        if (names.contains(fo) && Arrays.equals(xattrOrNull(dir, fo), YES)) {
            return true;
        }
        return exists(dir, AUFS_OPAQUE);
    }

    /** Whether a directory-listing record is an xattr whiteout (checked only in "x" directories). */
    boolean isXattrWhiteout(Fd dir, String name) throws ErrnoException {
        Stat st = Sys.statAt(dir, name);
        if (!st.isReg() || st.size() != 0) {
            return false;
        }
        try {
            Sys.getxattrAt(dir, name, whiteoutXattr);
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODATA) {
                return false;
            }
            throw e;
        }
    }

    private static boolean exists(Fd dir, String name) throws ErrnoException {
        try {
            Sys.statAt(dir, name);
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    private static byte[] xattrOrNull(Fd fd, String name) throws ErrnoException {
        try {
            return Sys.fgetxattr(fd, name);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODATA || e.errno() == Errno.EOPNOTSUPP) {
                return null;
            }
            throw new ErrnoException(e.errno(), "fgetxattr", Raw.display(name));
        }
    }
}
