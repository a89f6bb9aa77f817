package jover.fuse.codec;

import static jover.fuse.codec.Hex.GUARD;
import static jover.fuse.codec.Hex.guarded;
import static jover.fuse.codec.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import jover.fuse.abi.Fuse;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes for the reply structs and messages added with the typed wire layer: fuse_write_out,
 * fuse_lseek_out, fuse_copy_file_range_out, raw link targets, fuse_backing_map and the two
 * notifications, written by hand from fuse.h (shared/fuse-protocol.md).
 */
class SmallRepliesGoldenTest {
    /** The bytes at {@code from} of a guarded buffer equal {@code expected}, ending at {@code end}; nothing else was touched. */
    private static void assertBytes(byte[] expected, ByteBuffer b, int from, int end) {
        byte[] got = new byte[expected.length];
        b.get(from, got);
        assertArrayEquals(expected, got, () -> "got " + Arrays.toString(got));
        assertEquals(from + expected.length, end, "returned offset / length");
        for (int i = 0; i < b.capacity(); i++) {
            if (i < from || i >= from + expected.length) {
                assertEquals(GUARD, b.get(i), "byte " + i + " outside the struct was written");
            }
        }
    }

    @Test
    void writeOut() {
        ByteBuffer b = guarded(32);
        int end = Encoder.writeOut(b, 8, 0x01020304);
        assertBytes(hex("04 03 02 01",    //  0 size    = 0x01020304
                        "00 00 00 00"),   //  4 padding = 0
                b, 8, end);
        assertEquals(Fuse.WRITE_OUT_SIZE, end - 8);
    }

    @Test
    void lseekOut() {
        ByteBuffer b = guarded(32);
        int end = Encoder.lseekOut(b, 8, 0x0102030405060708L);
        assertBytes(hex("08 07 06 05 04 03 02 01"), b, 8, end);   // 0 offset = 0x0102030405060708
        assertEquals(Fuse.LSEEK_OUT_SIZE, end - 8);
    }

    @Test
    void copyFileRangeOut_isA64BitCount() {
        ByteBuffer b = guarded(32);
        int end = Encoder.copyFileRangeOut(b, 8, 0x0000000102030405L);
        assertBytes(hex("05 04 03 02 01 00 00 00"), b, 8, end);   // 0 bytes_copied = 0x102030405 (> 4 GiB)
    }

    @Test
    void raw_oneBytePerChar() {
        ByteBuffer b = guarded(32);
        int end = Encoder.raw(b, 8, "a\u00ff/\u0080");
        assertBytes(hex("61 ff 2f 80"), b, 8, end);                // "a", 0xff, "/", 0x80: no encoding
    }

    @Test
    void backingMap() {
        byte[] map = Encoder.backingMap(0x01020304);
        assertArrayEquals(hex("04 03 02 01",                 //  0 fd      = 0x01020304
                              "00 00 00 00",                 //  4 flags   = 0
                              "00 00 00 00 00 00 00 00"),    //  8 padding = 0
                map);
    }

    @Test
    void invalEntry() {
        ByteBuffer b = guarded(64);
        int len = Notifications.invalEntry(b, 0x0102030405060708L, "ab\u00ff");
        assertBytes(hex("24 00 00 00",                   //  0 len    = 36 (16 + 16 + 3 + NUL)
                        "03 00 00 00",                   //  4 error  = 3 (FUSE_NOTIFY_INVAL_ENTRY)
                        "00 00 00 00 00 00 00 00",       //  8 unique = 0 (a notification)
                        "08 07 06 05 04 03 02 01",       // 16 parent = 0x0102030405060708
                        "03 00 00 00",                   // 24 namelen = 3
                        "00 00 00 00",                   // 28 flags  = 0
                        "61 62 ff 00"),                  // 32 name "ab\xff", then NUL
                b, 0, len);
    }

    @Test
    void invalEntry_tooLongForTheBuffer_isRefused() {
        ByteBuffer b = guarded(40);
        assertEquals(-1, Notifications.invalEntry(b, 1, "x".repeat(10)));
        for (int i = 0; i < b.capacity(); i++) {
            assertEquals(GUARD, b.get(i), "byte " + i + " written for a refused message");
        }
    }

    @Test
    void invalInode() {
        ByteBuffer b = guarded(48);
        int len = Notifications.invalInode(b, 0x0102030405060708L, -1, 0x1112131415161718L);
        assertBytes(hex("28 00 00 00",                   //  0 len    = 40 (16 + 24)
                        "02 00 00 00",                   //  4 error  = 2 (FUSE_NOTIFY_INVAL_INODE)
                        "00 00 00 00 00 00 00 00",       //  8 unique = 0
                        "08 07 06 05 04 03 02 01",       // 16 ino    = 0x0102030405060708
                        "ff ff ff ff ff ff ff ff",       // 24 off    = -1 (attributes only)
                        "18 17 16 15 14 13 12 11"),      // 32 len    = 0x1112131415161718
                b, 0, len);
    }
}
