package jover.overlay;

import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Sys;

/**
 * The forms jover writes into the upper layer for what only an overlay knows: whiteouts
 * (character device 0/0) and opaque directories (the overlay "opaque" xattr, "y"), kernel
 * overlayfs's format (shared/overlay-semantics.md). Every write of either goes through here, so
 * an upper that refuses them (rootless, nested on overlayfs) changes one class. {@link Whiteouts}
 * reads every form, these and the others.
 */
final class UpperFormat {
    private static final byte[] YES = {'y'};

    private final String opaqueXattr;

    UpperFormat(Whiteouts whiteouts) {
        this.opaqueXattr = whiteouts.xattrPrefix() + "opaque";
    }

    /** Whether {@code name} in the upper directory {@code dir} is a whiteout jover wrote. */
    boolean isWhiteout(Fd dir, String name) throws ErrnoException {
        try {
            return Sys.statAt(dir, name).isCharDevice00();
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /** Makes a whiteout {@code name} in {@code dir}. */
    void makeWhiteout(Fd dir, String name) throws ErrnoException {
        Sys.mknodAt(dir, name, Linux.S_IFCHR, 0);
    }

    /** Marks the directory {@code name} in {@code dir} opaque: nothing below merges into it. */
    void markOpaque(Fd dir, String name) throws ErrnoException {
        Sys.setxattrAt(dir, name, opaqueXattr, YES, 0);
    }

    /** Whether the directory {@code name} in {@code dir} carries an opaque mark. */
    boolean isMarkedOpaque(Fd dir, String name) throws ErrnoException {
        try {
            return Sys.getxattrAt(dir, name, opaqueXattr).length > 0;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODATA) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Renames {@code name} in {@code from} to {@code newName} in {@code to}, leaving a whiteout
     * at the old name: in one step (RENAME_WHITEOUT), else renamed and then whited out.
     */
    void renameLeavingWhiteout(Fd from, String name, Fd to, String newName) throws ErrnoException {
        try {
            Sys.renameAt(from, name, to, newName, Linux.RENAME_WHITEOUT);
        } catch (ErrnoException e) {
            if (!refusesWhiteoutRename(e)) {
                throw e;
            }
            Sys.renameAt(from, name, to, newName, 0);
            makeWhiteout(from, name);
        }
    }

    /**
     * Moves {@code name} out of {@code upperDir} into the work directory as {@code tmp}, a
     * whiteout taking its place in the same step: RENAME_WHITEOUT, else a whiteout made in the
     * work directory and exchanged in (the name is never missing).
     */
    void moveOutLeavingWhiteout(Fd upperDir, String name, Fd work, String tmp) throws ErrnoException {
        try {
            Sys.renameAt(upperDir, name, work, tmp, Linux.RENAME_WHITEOUT);
        } catch (ErrnoException e) {
            if (!refusesWhiteoutRename(e)) {
                throw e;
            }
            makeWhiteout(work, tmp);
            Sys.renameAt(work, tmp, upperDir, name, Linux.RENAME_EXCHANGE);
        }
    }

    private static boolean refusesWhiteoutRename(ErrnoException e) {
        return e.errno() == Errno.EINVAL || e.errno() == Errno.EOPNOTSUPP;
    }
}
