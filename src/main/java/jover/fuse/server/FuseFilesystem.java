package jover.fuse.server;

import java.nio.ByteBuffer;
import java.util.List;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.StatFs;

/**
 * What a filesystem served by {@link FuseServer} implements: one method per operation. Every
 * method may throw {@link ErrnoException}, which becomes the reply's -errno; any other exception
 * is logged and answered with EIO. Names are raw strings, already checked to be real names
 * (no '/', not "." or ".."). Operations a filesystem does not override answer ENOSYS, or EROFS
 * for the changing ones.
 */
public interface FuseFilesystem {

    /** Time for which the kernel may trust an entry or attributes, in seconds. */
    double cacheTimeout();

    /** Whether to ask for FUSE_PASSTHROUGH at INIT. */
    default boolean wantsPassthrough() {
        return false;
    }

    /** Called once the mount answers, before any request but INIT: the kernel side of the connection. */
    default void attach(Kernel kernel) {
    }

    EntryReply lookup(Caller c, long parent, String name) throws ErrnoException;

    /** The kernel dropped {@code nlookup} references to {@code nodeid}. No reply is sent. */
    void forget(long nodeid, long nlookup);

    /** @param fh the open file's handle, or -1 when the request names none */
    Attributes getattr(Caller c, long nodeid, long fh) throws ErrnoException;

    /** The link target, as a raw string. */
    String readlink(Caller c, long nodeid) throws ErrnoException;

    OpenReply open(Caller c, long nodeid, int flags) throws ErrnoException;

    /** Reads up to {@code size} bytes at {@code offset} into {@code dst} (position 0); returns the count. */
    int read(Caller c, long nodeid, long fh, long offset, int size, ByteBuffer dst) throws ErrnoException;

    void release(long nodeid, long fh);

    OpenReply opendir(Caller c, long nodeid, int flags) throws ErrnoException;

    /** Fills {@code sink} with entries after cookie {@code offset} (0: from the start). */
    void readdir(Caller c, long nodeid, long fh, long offset, DirSink sink) throws ErrnoException;

    void releasedir(long nodeid, long fh);

    StatFs statfs(Caller c, long nodeid) throws ErrnoException;

    /** The value of xattr {@code name}; ENODATA when absent. */
    byte[] getxattr(Caller c, long nodeid, String name) throws ErrnoException;

    /** The xattr names the caller may see. */
    List<String> listxattr(Caller c, long nodeid) throws ErrnoException;

    /** Checks access(2) {@code mask} (R_OK/W_OK/X_OK, or 0 for existence). */
    void access(Caller c, long nodeid, int mask) throws ErrnoException;

    default void fsync(Caller c, long nodeid, long fh, boolean datasync) throws ErrnoException {
    }

    default void fsyncdir(Caller c, long nodeid, long fh, boolean datasync) throws ErrnoException {
    }

    /** Answer for changing operations this filesystem does not serve. */
    default int changeRefused() {
        return Errno.EROFS;
    }

    private ErrnoException refused(String op) {
        return new ErrnoException(changeRefused(), op, "");
    }

    // ---- changing operations: by default refused with changeRefused() ----

    /** What CREATE and TMPFILE answer: the new entry and its open handle. */
    record Created(EntryReply entry, OpenReply open) {
    }

    default EntryReply mknod(Caller c, long parent, String name, int mode, int rdev, int umask) throws ErrnoException {
        throw refused("mknod");
    }

    default EntryReply mkdir(Caller c, long parent, String name, int mode, int umask) throws ErrnoException {
        throw refused("mkdir");
    }

    /** @param target the link's contents, a raw string */
    default EntryReply symlink(Caller c, long parent, String name, String target) throws ErrnoException {
        throw refused("symlink");
    }

    default EntryReply link(Caller c, long nodeid, long newParent, String newName) throws ErrnoException {
        throw refused("link");
    }

    default void unlink(Caller c, long parent, String name) throws ErrnoException {
        throw refused("unlink");
    }

    default void rmdir(Caller c, long parent, String name) throws ErrnoException {
        throw refused("rmdir");
    }

    /** @param flags RENAME_NOREPLACE / RENAME_EXCHANGE (0 for the old RENAME opcode) */
    default void rename(Caller c, long parent, String name, long newParent, String newName, int flags)
            throws ErrnoException {
        throw refused("rename");
    }

    default Created create(Caller c, long parent, String name, int flags, int mode, int umask) throws ErrnoException {
        throw refused("create");
    }

    /** O_TMPFILE in directory {@code parent}. */
    default Created tmpfile(Caller c, long parent, int flags, int mode, int umask) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP, "tmpfile", "");
    }

    default Attributes setattr(Caller c, long nodeid, SetAttr in) throws ErrnoException {
        throw refused("setattr");
    }

    /**
     * Writes {@code size} bytes from {@code data} (position 0) at {@code offset}; returns the
     * count. {@code killSetId}: the writer lacks CAP_FSETID, so set-id bits go first (the kernel
     * leaves that to the filesystem on direct I/O).
     */
    default int write(Caller c, long nodeid, long fh, long offset, ByteBuffer data, int size, boolean killSetId)
            throws ErrnoException {
        throw refused("write");
    }

    default void fallocate(Caller c, long nodeid, long fh, long offset, long length, int mode) throws ErrnoException {
        throw refused("fallocate");
    }

    /** SEEK_DATA / SEEK_HOLE (the kernel answers the other whences itself). */
    default long lseek(Caller c, long nodeid, long fh, long offset, int whence) throws ErrnoException {
        throw new ErrnoException(Errno.ENOSYS, "lseek", "");
    }

    default void setxattr(Caller c, long nodeid, String name, byte[] value, int flags) throws ErrnoException {
        throw refused("setxattr");
    }

    default void removexattr(Caller c, long nodeid, String name) throws ErrnoException {
        throw refused("removexattr");
    }

    default long copyFileRange(Caller c, long nodeIn, long fhIn, long offIn, long nodeOut, long fhOut, long offOut,
                               long len, int flags) throws ErrnoException {
        throw refused("copy_file_range");
    }

    default void syncfs(Caller c, long nodeid) throws ErrnoException {
    }
}
