package jover.fuse.codec;

import java.nio.ByteBuffer;
import jover.fuse.abi.Fuse;

/**
 * Writes FUSE reply structs into a little-endian buffer at absolute offsets; each method
 * returns the offset just past what it wrote.
 */
public final class Encoder {
    private Encoder() {
    }

    /** struct fuse_out_header. */
    public static int outHeader(ByteBuffer b, int off, int len, int error, long unique) {
        b.putInt(off, len);
        b.putInt(off + 4, error);
        b.putLong(off + 8, unique);
        return off + Fuse.OUT_HEADER_SIZE;
    }

    /** struct fuse_attr. */
    public static int attr(ByteBuffer b, int off, Attr a) {
        b.putLong(off, a.ino());
        b.putLong(off + 8, a.size());
        b.putLong(off + 16, a.blocks());
        b.putLong(off + 24, a.atime());
        b.putLong(off + 32, a.mtime());
        b.putLong(off + 40, a.ctime());
        b.putInt(off + 48, a.atimensec());
        b.putInt(off + 52, a.mtimensec());
        b.putInt(off + 56, a.ctimensec());
        b.putInt(off + 60, a.mode());
        b.putInt(off + 64, a.nlink());
        b.putInt(off + 68, a.uid());
        b.putInt(off + 72, a.gid());
        b.putInt(off + 76, a.rdev());
        b.putInt(off + 80, a.blksize());
        b.putInt(off + 84, a.flags());
        return off + Fuse.ATTR_SIZE;
    }

    /** struct fuse_entry_out. */
    public static int entryOut(ByteBuffer b, int off, EntryOut e) {
        b.putLong(off, e.nodeid());
        b.putLong(off + 8, e.generation());
        b.putLong(off + 16, e.entryValid());
        b.putLong(off + 24, e.attrValid());
        b.putInt(off + 32, e.entryValidNsec());
        b.putInt(off + 36, e.attrValidNsec());
        return attr(b, off + 40, e.attr());
    }

    /** struct fuse_attr_out. */
    public static int attrOut(ByteBuffer b, int off, long attrValid, int attrValidNsec, Attr a) {
        b.putLong(off, attrValid);
        b.putInt(off + 8, attrValidNsec);
        b.putInt(off + 12, 0);
        return attr(b, off + 16, a);
    }

    /** struct fuse_open_out. */
    public static int openOut(ByteBuffer b, int off, long fh, int openFlags, int backingId) {
        b.putLong(off, fh);
        b.putInt(off + 8, openFlags);
        b.putInt(off + 12, backingId);
        return off + Fuse.OPEN_OUT_SIZE;
    }

    /** struct fuse_init_out. */
    public static int initOut(ByteBuffer b, int off, InitOut i) {
        zero(b, off, Fuse.INIT_OUT_SIZE);
        b.putInt(off, i.major());
        b.putInt(off + 4, i.minor());
        b.putInt(off + 8, i.maxReadahead());
        b.putInt(off + 12, i.flags());
        b.putShort(off + 16, (short) i.maxBackground());
        b.putShort(off + 18, (short) i.congestionThreshold());
        b.putInt(off + 20, i.maxWrite());
        b.putInt(off + 24, i.timeGran());
        b.putShort(off + 28, (short) i.maxPages());
        b.putInt(off + 32, i.flags2());
        b.putInt(off + 36, i.maxStackDepth());
        return off + Fuse.INIT_OUT_SIZE;
    }

    /** struct fuse_kstatfs (the whole of fuse_statfs_out). */
    public static int kstatfs(ByteBuffer b, int off, long blocks, long bfree, long bavail, long files,
                              long ffree, int bsize, int namelen, int frsize) {
        zero(b, off, Fuse.KSTATFS_SIZE);
        b.putLong(off, blocks);
        b.putLong(off + 8, bfree);
        b.putLong(off + 16, bavail);
        b.putLong(off + 24, files);
        b.putLong(off + 32, ffree);
        b.putInt(off + 40, bsize);
        b.putInt(off + 44, namelen);
        b.putInt(off + 48, frsize);
        return off + Fuse.KSTATFS_SIZE;
    }

    /** struct fuse_getxattr_out: the size a value or name list would take. */
    public static int getxattrOut(ByteBuffer b, int off, int size) {
        b.putInt(off, size);
        b.putInt(off + 4, 0);
        return off + Fuse.GETXATTR_OUT_SIZE;
    }

    /** struct fuse_write_out: the count written. */
    public static int writeOut(ByteBuffer b, int off, int size) {
        b.putInt(off, size);
        b.putInt(off + 4, 0);
        return off + Fuse.WRITE_OUT_SIZE;
    }

    /** struct fuse_lseek_out. */
    public static int lseekOut(ByteBuffer b, int off, long offset) {
        b.putLong(off, offset);
        return off + Fuse.LSEEK_OUT_SIZE;
    }

    /** struct fuse_copy_file_range_out (COPY_FILE_RANGE_64): the 64-bit count copied. */
    public static int copyFileRangeOut(ByteBuffer b, int off, long copied) {
        b.putLong(off, copied);
        return off + 8;
    }

    /** A raw string's bytes, one per char (link targets). */
    public static int raw(ByteBuffer b, int off, String raw) {
        int n = raw.length();
        for (int i = 0; i < n; i++) {
            b.put(off + i, (byte) raw.charAt(i));
        }
        return off + n;
    }

    /** struct fuse_backing_map for FUSE_DEV_IOC_BACKING_OPEN: fd, flags 0, padding. */
    public static byte[] backingMap(int fd) {
        byte[] map = new byte[16];
        ByteBuffer.wrap(map).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, fd);
        return map;
    }

    /** Raw bytes (read data, link targets, xattr values). */
    public static int bytes(ByteBuffer b, int off, byte[] data, int len) {
        b.put(off, data, 0, len);
        return off + len;
    }

    /** The size of a dirent record for a name of {@code nameLen} bytes, padded to 8. */
    public static int direntSize(int nameLen) {
        return align8(Fuse.DIRENT_SIZE + nameLen);
    }

    /** The size of a direntplus record for a name of {@code nameLen} bytes, padded to 8. */
    public static int direntPlusSize(int nameLen) {
        return align8(Fuse.DIRENTPLUS_SIZE + nameLen);
    }

    /** struct fuse_dirent with its name and padding. */
    public static int dirent(ByteBuffer b, int off, long ino, long nextOff, int type, String name) {
        int n = name.length();
        b.putLong(off, ino);
        b.putLong(off + 8, nextOff);
        b.putInt(off + 16, n);
        b.putInt(off + 20, type);
        return putName(b, off + Fuse.DIRENT_SIZE, name, off + direntSize(n));
    }

    /** struct fuse_direntplus: an entry_out followed by a dirent, with its name and padding. */
    public static int direntPlus(ByteBuffer b, int off, EntryOut e, long nextOff, int type, String name) {
        entryOut(b, off, e);
        int d = off + Fuse.ENTRY_OUT_SIZE;
        int n = name.length();
        b.putLong(d, e.attr().ino());
        b.putLong(d + 8, nextOff);
        b.putInt(d + 16, n);
        b.putInt(d + 20, type);
        return putName(b, d + Fuse.DIRENT_SIZE, name, off + direntPlusSize(n));
    }

    private static int putName(ByteBuffer b, int off, String raw, int end) {
        int n = raw.length();
        for (int i = 0; i < n; i++) {
            b.put(off + i, (byte) raw.charAt(i));
        }
        zero(b, off + n, end - off - n);
        return end;
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }

    private static void zero(ByteBuffer b, int off, int len) {
        for (int i = 0; i < len; i++) {
            b.put(off + i, (byte) 0);
        }
    }
}
