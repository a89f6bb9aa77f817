package jover.fuse.codec;

import java.nio.ByteBuffer;

/**
 * Reads FUSE request structs from a little-endian buffer at absolute offsets. Bodies start at
 * {@link jover.fuse.abi.Fuse#IN_HEADER_SIZE}; each method names the struct it reads.
 */
public final class Decoder {
    private Decoder() {
    }

    public static InHeader header(ByteBuffer b) {
        return new InHeader(b.getInt(0), b.getInt(4), b.getLong(8), b.getLong(16), b.getInt(24),
                b.getInt(28), b.getInt(32), b.getShort(36) & 0xffff);
    }

    public static InitIn initIn(ByteBuffer b, int off) {
        return new InitIn(b.getInt(off), b.getInt(off + 4), b.getInt(off + 8), b.getInt(off + 12),
                b.getInt(off + 16));
    }

    /**
     * A NUL-terminated name starting at {@code off} and ending before {@code end}, as a raw
     * string; null when no NUL terminates it. {@code scratch} must hold at least end - off bytes.
     */
    public static String cstring(ByteBuffer b, int off, int end, byte[] scratch) {
        int n = 0;
        for (int i = off; i < end; i++) {
            byte c = b.get(i);
            if (c == 0) {
                return new String(scratch, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            scratch[n++] = c;
        }
        return null;
    }

    /** The offset just past the NUL of a C string starting at {@code off}, or -1 when none. */
    public static int skipCstring(ByteBuffer b, int off, int end) {
        for (int i = off; i < end; i++) {
            if (b.get(i) == 0) {
                return i + 1;
            }
        }
        return -1;
    }
}
