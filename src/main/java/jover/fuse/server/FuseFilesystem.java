package jover.fuse.server;

import java.nio.ByteBuffer;
import java.util.List;
import jover.fuse.codec.Attr;
import jover.fuse.codec.EntryOut;
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

    /** Capabilities the filesystem wants from INIT, beyond the server's defaults. */
    default int extraInitFlags() {
        return 0;
    }

    EntryOut lookup(Caller c, long parent, String name) throws ErrnoException;

    /** The kernel dropped {@code nlookup} references to {@code nodeid}. No reply is sent. */
    void forget(long nodeid, long nlookup);

    /** @param fh the open file's handle, or -1 when the request names none */
    Attr getattr(Caller c, long nodeid, long fh) throws ErrnoException;

    /** The link target, as a raw string. */
    String readlink(Caller c, long nodeid) throws ErrnoException;

    OpenReply open(Caller c, long nodeid, int flags) throws ErrnoException;

    /** Reads up to {@code size} bytes at {@code offset} into {@code dst} (position 0); returns the count. */
    int read(Caller c, long nodeid, long fh, long offset, int size, ByteBuffer dst) throws ErrnoException;

    default void flush(Caller c, long nodeid, long fh) throws ErrnoException {
    }

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
}
