package jover.fuse.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-only reader of the reply structs jover writes, following the field offsets of
 * shared/fuse-protocol.md. Written independently of {@link Encoder} so that a round trip through
 * both catches a mistake in either.
 */
public final class WireReader {
    /** One fuse_dirent record. */
    public record Dirent(long ino, long off, int type, String name) {
    }

    /** One fuse_direntplus record. */
    public record DirentPlus(EntryOut entry, Dirent dirent) {
    }

    private WireReader() {
    }

    public static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** fuse_attr (88 bytes). */
    public static Attr attr(ByteBuffer b, int off) {
        return new Attr(
                b.getLong(off),        // ino
                b.getLong(off + 8),    // size
                b.getLong(off + 16),   // blocks
                b.getLong(off + 24),   // atime
                b.getLong(off + 32),   // mtime
                b.getLong(off + 40),   // ctime
                b.getInt(off + 48),    // atimensec
                b.getInt(off + 52),    // mtimensec
                b.getInt(off + 56),    // ctimensec
                b.getInt(off + 60),    // mode
                b.getInt(off + 64),    // nlink
                b.getInt(off + 68),    // uid
                b.getInt(off + 72),    // gid
                b.getInt(off + 76),    // rdev
                b.getInt(off + 80),    // blksize
                b.getInt(off + 84));   // flags
    }

    /** fuse_entry_out (128 bytes). */
    public static EntryOut entryOut(ByteBuffer b, int off) {
        return new EntryOut(
                b.getLong(off),        // nodeid
                b.getLong(off + 8),    // generation
                b.getLong(off + 16),   // entry_valid
                b.getInt(off + 32),    // entry_valid_nsec
                b.getLong(off + 24),   // attr_valid
                b.getInt(off + 36),    // attr_valid_nsec
                attr(b, off + 40));
    }

    /** A stream of fuse_dirent records occupying exactly {@code len} bytes at {@code off}. */
    public static List<Dirent> dirents(ByteBuffer b, int off, int len) {
        List<Dirent> out = new ArrayList<>();
        int pos = off;
        int end = off + len;
        while (pos < end) {
            Dirent d = dirent(b, pos, end);
            out.add(d);
            pos += padded(24 + d.name().length());
        }
        if (pos != end) {
            throw new AssertionError("dirent stream overruns its length: " + pos + " > " + end);
        }
        return out;
    }

    /** A stream of fuse_direntplus records occupying exactly {@code len} bytes at {@code off}. */
    public static List<DirentPlus> direntPlus(ByteBuffer b, int off, int len) {
        List<DirentPlus> out = new ArrayList<>();
        int pos = off;
        int end = off + len;
        while (pos < end) {
            if (pos + 152 > end) {
                throw new AssertionError("truncated direntplus at " + pos);
            }
            EntryOut e = entryOut(b, pos);
            Dirent d = dirent(b, pos + 128, end);
            out.add(new DirentPlus(e, d));
            pos += padded(152 + d.name().length());
        }
        if (pos != end) {
            throw new AssertionError("direntplus stream overruns its length: " + pos + " > " + end);
        }
        return out;
    }

    private static Dirent dirent(ByteBuffer b, int pos, int end) {
        if (pos + 24 > end) {
            throw new AssertionError("truncated dirent header at " + pos);
        }
        long ino = b.getLong(pos);
        long next = b.getLong(pos + 8);
        int namelen = b.getInt(pos + 16);
        int type = b.getInt(pos + 20);
        if (namelen < 0 || pos + 24 + namelen > end) {
            throw new AssertionError("bad namelen " + namelen + " at " + pos);
        }
        byte[] name = new byte[namelen];
        b.get(pos + 24, name);
        int recEnd = pos + padded(24 + namelen);
        if (recEnd > end) {
            throw new AssertionError("record padding past the end at " + pos);
        }
        for (int i = pos + 24 + namelen; i < recEnd; i++) {
            if (b.get(i) != 0) {
                throw new AssertionError("non-zero padding byte at " + i);
            }
        }
        return new Dirent(ino, next, type, new String(name, StandardCharsets.ISO_8859_1));
    }

    private static int padded(int n) {
        return n % 8 == 0 ? n : n + (8 - n % 8);
    }
}
