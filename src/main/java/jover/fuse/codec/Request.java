package jover.fuse.codec;

import java.nio.ByteBuffer;

/**
 * One decoded FUSE request body: a record per opcode jover serves, made by {@link Decoder}
 * once the body's size has been checked. The header (who asks, about which node) is an
 * {@link InHeader}. Names are raw strings (one char per byte), already checked to be names the
 * kernel could send (not empty, no '/', not "." or ".."); numbers are the kernel's unsigned
 * fields in Java's signed types.
 */
public sealed interface Request {

    /** LOOKUP: {@code name} in the header's directory. */
    record Lookup(String name) implements Request {
    }

    /** FORGET: the kernel dropped {@code nlookup} references to the header's node. No reply. */
    record Forget(long nlookup) implements Request {
    }

    /** BATCH_FORGET: {@code counts[i]} references to node {@code nodeIds[i]} dropped. No reply. */
    record BatchForget(long[] nodeIds, long[] counts) implements Request {
    }

    /** GETATTR: {@code fh} is the open file's handle, or -1 when the request names none. */
    record Getattr(long fh) implements Request {
    }

    /** SETATTR: fuse_setattr_in; {@code valid} says which fields are set (FATTR_* bits). */
    record Setattr(int valid, long fh, long size, long atime, int atimensec, long mtime, int mtimensec,
                   int mode, int uid, int gid) implements Request {
    }

    /** READLINK. */
    record Readlink() implements Request {
    }

    /** SYMLINK: a link {@code name} holding {@code target} (never empty). */
    record Symlink(String name, String target) implements Request {
    }

    /** MKNOD: rdev in the kernel's 32-bit encoding. */
    record Mknod(String name, int mode, int rdev, int umask) implements Request {
    }

    /** MKDIR. */
    record Mkdir(String name, int mode, int umask) implements Request {
    }

    /** UNLINK. */
    record Unlink(String name) implements Request {
    }

    /** RMDIR. */
    record Rmdir(String name) implements Request {
    }

    /** RENAME (flags 0) and RENAME2: {@code name} in the header's directory to {@code newName} in {@code newDir}. */
    record Rename(long newDir, String name, String newName, int flags) implements Request {
    }

    /** LINK: a new name {@code newName} in the header's directory for node {@code oldNode}. */
    record Link(long oldNode, String newName) implements Request {
    }

    /** OPEN: open(2) flags. */
    record Open(int flags) implements Request {
    }

    /** READ: {@code size} bytes at {@code offset} of handle {@code fh}. */
    record Read(long fh, long offset, int size) implements Request {
    }

    /**
     * WRITE: {@code size} bytes at {@code offset}; {@code data} is a view of them in the
     * request's own buffer, valid until the reply. {@code writeFlags}: FUSE_WRITE_* bits.
     */
    record Write(long fh, long offset, int size, int writeFlags, ByteBuffer data) implements Request {
    }

    /** STATFS. */
    record Statfs() implements Request {
    }

    /** RELEASE of an open file handle. */
    record Release(long fh) implements Request {
    }

    /** FSYNC. */
    record Fsync(long fh, boolean datasync) implements Request {
    }

    /** SETXATTR. */
    record Setxattr(String name, byte[] value, int flags) implements Request {
    }

    /** GETXATTR: {@code size} 0 asks for the value's size only. */
    record Getxattr(String name, int size) implements Request {
    }

    /** LISTXATTR: {@code size} 0 asks for the list's size only. */
    record Listxattr(int size) implements Request {
    }

    /** REMOVEXATTR. */
    record Removexattr(String name) implements Request {
    }

    /** OPENDIR: open(2) flags. */
    record Opendir(int flags) implements Request {
    }

    /** READDIR or, with {@code plus}, READDIRPLUS: entries after cookie {@code offset}, at most {@code size} bytes. */
    record Readdir(long fh, long offset, int size, boolean plus) implements Request {
    }

    /** RELEASEDIR. */
    record Releasedir(long fh) implements Request {
    }

    /** FSYNCDIR. */
    record Fsyncdir(long fh, boolean datasync) implements Request {
    }

    /** ACCESS: an access(2) mask. */
    record Access(int mask) implements Request {
    }

    /** CREATE: make {@code name} and open it. */
    record Create(String name, int flags, int mode, int umask) implements Request {
    }

    /** TMPFILE: an O_TMPFILE open in the header's directory. */
    record Tmpfile(int flags, int mode, int umask) implements Request {
    }

    /** INTERRUPT of request {@code unique}. No reply. */
    record Interrupt(long unique) implements Request {
    }

    /** INIT: what the kernel offers. */
    record Init(InitIn offer) implements Request {
    }

    /** DESTROY: the connection is going away. */
    record Destroy() implements Request {
    }

    /** FALLOCATE. */
    record Fallocate(long fh, long offset, long length, int mode) implements Request {
    }

    /** LSEEK (SEEK_DATA / SEEK_HOLE; the kernel answers other whences itself). */
    record Lseek(long fh, long offset, int whence) implements Request {
    }

    /**
     * COPY_FILE_RANGE, or with {@code wide} COPY_FILE_RANGE_64 (whose reply is a 64-bit count):
     * from the header's node, handle {@code fhIn}, to node {@code nodeOut}, handle {@code fhOut}.
     */
    record CopyFileRange(long fhIn, long offIn, long nodeOut, long fhOut, long offOut, long len, long flags,
                         boolean wide) implements Request {
    }

    /** SYNCFS. */
    record Syncfs() implements Request {
    }
}
