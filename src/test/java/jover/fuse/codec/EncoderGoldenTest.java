package jover.fuse.codec;

import static jover.fuse.codec.Hex.GUARD;
import static jover.fuse.codec.Hex.dump;
import static jover.fuse.codec.Hex.guarded;
import static jover.fuse.codec.Hex.hex;
import static jover.fuse.codec.Hex.slice;
import static jover.fuse.codec.Hex.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.function.ToIntFunction;
import jover.fuse.abi.Fuse;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes for every reply struct {@link Encoder} writes. Each expected array is written by
 * hand from the layouts in shared/fuse-protocol.md, one hex string per field with its offset and
 * value; field values use distinct non-zero bytes so that a swapped offset, a wrong width or a
 * wrong byte order changes the output. Every struct is written at a non-zero offset into a
 * buffer pre-filled with 0xAA, so that writes outside the struct, or unwritten padding, show up.
 */
class EncoderGoldenTest {
    private static final int AT = 8; // where each struct is written in the test buffer

    /** fuse_attr (88 bytes) for {@link #ATTR}. */
    static final String[] ATTR_GOLDEN = {
        "08 07 06 05 04 03 02 01", //  0 ino       = 0x0102030405060708
        "18 17 16 15 14 13 12 11", //  8 size      = 0x1112131415161718
        "28 27 26 25 24 23 22 21", // 16 blocks    = 0x2122232425262728
        "38 37 36 35 34 33 32 31", // 24 atime     = 0x3132333435363738
        "48 47 46 45 44 43 42 41", // 32 mtime     = 0x4142434445464748
        "58 57 56 55 54 53 52 51", // 40 ctime     = 0x5152535455565758
        "64 63 62 61",             // 48 atimensec = 0x61626364
        "68 67 66 65",             // 52 mtimensec = 0x65666768
        "6c 6b 6a 69",             // 56 ctimensec = 0x696a6b6c
        "74 73 72 71",             // 60 mode      = 0x71727374
        "78 77 76 75",             // 64 nlink     = 0x75767778
        "7c 7b 7a 79",             // 68 uid       = 0x797a7b7c
        "80 7f 7e 7d",             // 72 gid       = 0x7d7e7f80
        "84 83 82 81",             // 76 rdev      = 0x81828384
        "88 87 86 85",             // 80 blksize   = 0x85868788
        "8c 8b 8a 89",             // 84 flags     = 0x898a8b8c
    };

    static final Attr ATTR = new Attr(0x0102030405060708L, 0x1112131415161718L, 0x2122232425262728L,
            0x3132333435363738L, 0x4142434445464748L, 0x5152535455565758L,
            0x61626364, 0x65666768, 0x696a6b6c,
            0x71727374, 0x75767778, 0x797a7b7c, 0x7d7e7f80, 0x81828384, 0x85868788, 0x898a8b8c);

    /** fuse_entry_out (128 bytes) for {@link #ENTRY}, without its fuse_attr (which follows at 40). */
    static final String[] ENTRY_HEAD_GOLDEN = {
        "a8 a7 a6 a5 a4 a3 a2 a1", //  0 nodeid           = 0xa1a2a3a4a5a6a7a8
        "b8 b7 b6 b5 b4 b3 b2 b1", //  8 generation       = 0xb1b2b3b4b5b6b7b8
        "c8 c7 c6 c5 c4 c3 c2 c1", // 16 entry_valid      = 0xc1c2c3c4c5c6c7c8
        "d8 d7 d6 d5 d4 d3 d2 d1", // 24 attr_valid       = 0xd1d2d3d4d5d6d7d8
        "e4 e3 e2 e1",             // 32 entry_valid_nsec = 0xe1e2e3e4
        "f4 f3 f2 f1",             // 36 attr_valid_nsec  = 0xf1f2f3f4
        // 40 attr: ATTR_GOLDEN
    };

    static final EntryOut ENTRY = new EntryOut(0xa1a2a3a4a5a6a7a8L, 0xb1b2b3b4b5b6b7b8L,
            0xc1c2c3c4c5c6c7c8L, 0xe1e2e3e4, 0xd1d2d3d4d5d6d7d8L, 0xf1f2f3f4, ATTR);

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    /**
     * Runs {@code write} at offset {@link #AT} of a guarded buffer with {@code extra} spare bytes
     * after the expected struct and checks: the bytes equal {@code expected}, nothing before or
     * after was touched, and the returned offset is just past the struct.
     */
    private static void assertWrites(byte[] expected, ToIntFunction<ByteBuffer> write) {
        int extra = 16;
        ByteBuffer b = guarded(AT + expected.length + extra);
        int end = write.applyAsInt(b);
        byte[] got = slice(b, AT, expected.length);
        assertArrayEquals(expected, got, () -> "expected" + dump(expected) + "\nactual" + dump(got));
        for (int i = 0; i < AT; i++) {
            assertEquals(GUARD, b.get(i), "byte " + i + " before the struct was written");
        }
        for (int i = AT + expected.length; i < b.capacity(); i++) {
            assertEquals(GUARD, b.get(i), "byte " + (i - AT) + " past the struct was written");
        }
        assertEquals(AT + expected.length, end, "returned offset");
    }

    @Test
    void outHeader() {
        byte[] expected = hex(
                "14 13 12 11",              //  0 len    = 0x11121314
                "fe ff ff ff",              //  4 error  = -2 (-ENOENT)
                "08 07 06 05 04 03 02 01"); //  8 unique = 0x0102030405060708
        assertEquals(16, expected.length);
        assertWrites(expected, b -> Encoder.outHeader(b, AT, 0x11121314, -2, 0x0102030405060708L));
    }

    @Test
    void outHeader_success() {
        byte[] expected = hex(
                "90 00 00 00",              //  0 len    = 144 (16 + entry_out)
                "00 00 00 00",              //  4 error  = 0
                "2a 00 00 00 00 00 00 00"); //  8 unique = 42
        assertWrites(expected, b -> Encoder.outHeader(b, AT, 144, 0, 42));
    }

    @Test
    void attr() {
        byte[] expected = hex(ATTR_GOLDEN);
        assertEquals(Fuse.ATTR_SIZE, expected.length);
        assertWrites(expected, b -> Encoder.attr(b, AT, ATTR));
    }

    @Test
    void attr_realisticDirectory() {
        Attr a = new Attr(2, 4096, 8, 1_700_000_000L, 1_700_000_001L, 1_700_000_002L,
                1, 500_000_000, 999_999_999, 040755, 3, 1000, 100, 0, 4096, 0);
        byte[] expected = hex(
                "02 00 00 00 00 00 00 00", //  0 ino       = 2
                "00 10 00 00 00 00 00 00", //  8 size      = 4096
                "08 00 00 00 00 00 00 00", // 16 blocks    = 8
                "00 f1 53 65 00 00 00 00", // 24 atime     = 1700000000 = 0x6553f100
                "01 f1 53 65 00 00 00 00", // 32 mtime     = 1700000001
                "02 f1 53 65 00 00 00 00", // 40 ctime     = 1700000002
                "01 00 00 00",             // 48 atimensec = 1
                "00 65 cd 1d",             // 52 mtimensec = 500000000 = 0x1dcd6500
                "ff c9 9a 3b",             // 56 ctimensec = 999999999 = 0x3b9ac9ff
                "ed 41 00 00",             // 60 mode      = 040755 = 0x41ed
                "03 00 00 00",             // 64 nlink     = 3
                "e8 03 00 00",             // 68 uid       = 1000
                "64 00 00 00",             // 72 gid       = 100
                "00 00 00 00",             // 76 rdev      = 0
                "00 10 00 00",             // 80 blksize   = 4096
                "00 00 00 00");            // 84 flags     = 0
        assertWrites(expected, b -> Encoder.attr(b, AT, a));
    }

    @Test
    void entryOut() {
        byte[] expected = hex(concat(ENTRY_HEAD_GOLDEN, ATTR_GOLDEN));
        assertEquals(Fuse.ENTRY_OUT_SIZE, expected.length);
        assertWrites(expected, b -> Encoder.entryOut(b, AT, ENTRY));
    }

    @Test
    void attrOut() {
        byte[] expected = hex(concat(new String[] {
            "c8 c7 c6 c5 c4 c3 c2 c1", //  0 attr_valid      = 0xc1c2c3c4c5c6c7c8
            "e4 e3 e2 e1",             //  8 attr_valid_nsec = 0xe1e2e3e4
            "00 00 00 00",             // 12 dummy           = 0 (over the 0xAA filler)
        }, ATTR_GOLDEN));              // 16 attr
        assertEquals(Fuse.ATTR_OUT_SIZE, expected.length);
        assertWrites(expected, b -> Encoder.attrOut(b, AT, 0xc1c2c3c4c5c6c7c8L, 0xe1e2e3e4, ATTR));
    }

    @Test
    void openOut() {
        byte[] expected = hex(
                "08 07 06 05 04 03 02 01", //  0 fh         = 0x0102030405060708
                "81 00 00 00",             //  8 open_flags = FOPEN_PASSTHROUGH | FOPEN_DIRECT_IO = 0x81
                "14 13 12 11");            // 12 backing_id = 0x11121314
        assertEquals(Fuse.OPEN_OUT_SIZE, expected.length);
        assertWrites(expected, b -> Encoder.openOut(b, AT, 0x0102030405060708L, 0x81, 0x11121314));
    }

    @Test
    void initOut() {
        InitOut i = new InitOut(7, 45, 0x21222324, 0x12345678, 0x0a0b, 0x0c0d, 0x31323334, 0x41424344,
                0x0e0f, 0x51525354, 0x61626364);
        byte[] expected = hex(
                "07 00 00 00",             //  0 major                = 7
                "2d 00 00 00",             //  4 minor                = 45
                "24 23 22 21",             //  8 max_readahead        = 0x21222324
                "78 56 34 12",             // 12 flags                = 0x12345678
                "0b 0a",                   // 16 max_background       = 0x0a0b (u16)
                "0d 0c",                   // 18 congestion_threshold = 0x0c0d (u16)
                "34 33 32 31",             // 20 max_write            = 0x31323334
                "44 43 42 41",             // 24 time_gran            = 0x41424344
                "0f 0e",                   // 28 max_pages            = 0x0e0f (u16)
                "00 00",                   // 30 map_alignment        = 0
                "54 53 52 51",             // 32 flags2               = 0x51525354
                "64 63 62 61",             // 36 max_stack_depth      = 0x61626364
                "00 00",                   // 40 request_timeout      = 0
                zeros(22));                // 42 unused[11]           = 0
        assertEquals(Fuse.INIT_OUT_SIZE, expected.length);
        assertWrites(expected, b -> Encoder.initOut(b, AT, i));
    }

    @Test
    void initOut_realisticReply() {
        InitOut i = new InitOut(7, 45, 131072, Fuse.INIT_ASYNC_READ | Fuse.INIT_INIT_EXT, 64, 48,
                1 << 20, 1, 256, Fuse.FLAGS2_PASSTHROUGH, 1);
        byte[] expected = hex(
                "07 00 00 00",             //  0 major                = 7
                "2d 00 00 00",             //  4 minor                = 45
                "00 00 02 00",             //  8 max_readahead        = 131072 = 0x20000
                "01 00 00 40",             // 12 flags                = ASYNC_READ (bit 0) | INIT_EXT (bit 30)
                "40 00",                   // 16 max_background       = 64
                "30 00",                   // 18 congestion_threshold = 48
                "00 00 10 00",             // 20 max_write            = 1 MiB = 0x100000
                "01 00 00 00",             // 24 time_gran            = 1
                "00 01",                   // 28 max_pages            = 256
                "00 00",                   // 30 map_alignment        = 0
                "20 00 00 00",             // 32 flags2               = PASSTHROUGH (flags2 bit 5)
                "01 00 00 00",             // 36 max_stack_depth      = 1
                "00 00",                   // 40 request_timeout      = 0
                zeros(22));                // 42 unused
        assertWrites(expected, b -> Encoder.initOut(b, AT, i));
    }

    @Test
    void kstatfs() {
        byte[] expected = hex(
                "08 07 06 05 04 03 02 01", //  0 blocks  = 0x0102030405060708
                "18 17 16 15 14 13 12 11", //  8 bfree   = 0x1112131415161718
                "28 27 26 25 24 23 22 21", // 16 bavail  = 0x2122232425262728
                "38 37 36 35 34 33 32 31", // 24 files   = 0x3132333435363738
                "48 47 46 45 44 43 42 41", // 32 ffree   = 0x4142434445464748
                "54 53 52 51",             // 40 bsize   = 0x51525354
                "64 63 62 61",             // 44 namelen = 0x61626364
                "74 73 72 71",             // 48 frsize  = 0x71727374
                "00 00 00 00",             // 52 padding = 0
                zeros(24));                // 56 spare[6] = 0
        assertEquals(Fuse.KSTATFS_SIZE, expected.length);
        assertWrites(expected, b -> Encoder.kstatfs(b, AT, 0x0102030405060708L, 0x1112131415161718L,
                0x2122232425262728L, 0x3132333435363738L, 0x4142434445464748L,
                0x51525354, 0x61626364, 0x71727374));
    }

    @Test
    void getxattrOut() {
        byte[] expected = hex(
                "04 03 02 01",  //  0 size    = 0x01020304
                "00 00 00 00"); //  4 padding = 0
        assertEquals(Fuse.GETXATTR_OUT_SIZE, expected.length);
        assertWrites(expected, b -> Encoder.getxattrOut(b, AT, 0x01020304));
    }

    @Test
    void bytes_copiesOnlyLen() {
        byte[] data = {1, 2, 3, (byte) 0xff, 5};
        assertWrites(hex("01 02 03 ff"), b -> Encoder.bytes(b, AT, data, 4));
    }

    @Test
    void dirent_nameWithPadding() {
        byte[] expected = hex(
                "08 07 06 05 04 03 02 01", //  0 ino     = 0x0102030405060708
                "18 17 16 15 14 13 12 11", //  8 off     = 0x1112131415161718
                "05 00 00 00",             // 16 namelen = 5
                "04 00 00 00",             // 20 type    = 4 (DT_DIR)
                "68 65 6c 6c 6f",          // 24 name    = "hello"
                "00 00 00");               // 29 padding to 32
        assertWrites(expected, b -> Encoder.dirent(b, AT, 0x0102030405060708L, 0x1112131415161718L, 4, "hello"));
    }

    @Test
    void dirent_nameFillsToBoundary_noPadding() {
        byte[] expected = hex(
                "01 00 00 00 00 00 00 00", //  0 ino     = 1
                "02 00 00 00 00 00 00 00", //  8 off     = 2
                "08 00 00 00",             // 16 namelen = 8
                "08 00 00 00",             // 20 type    = 8 (DT_REG)
                "61 62 63 64 65 66 67 68");// 24 name    = "abcdefgh", ends at 32: no padding
        assertWrites(expected, b -> Encoder.dirent(b, AT, 1, 2, 8, "abcdefgh"));
    }

    @Test
    void dirent_nineByteName_padsToForty() {
        byte[] expected = hex(
                "03 00 00 00 00 00 00 00", //  0 ino     = 3
                "ff ff ff ff ff ff ff 7f", //  8 off     = Long.MAX_VALUE
                "09 00 00 00",             // 16 namelen = 9
                "0a 00 00 00",             // 20 type    = 10 (DT_LNK)
                "61 62 63 64 65 66 67 68 69", // 24 name = "abcdefghi"
                zeros(7));                 // 33 padding to 40
        assertWrites(expected, b -> Encoder.dirent(b, AT, 3, Long.MAX_VALUE, 10, "abcdefghi"));
    }

    @Test
    void dirent_rawNonAsciiName() {
        // "été" in UTF-8 is c3 a9 74 c3 a9; as a raw string each byte is one char 0-255
        String raw = "\u00c3\u00a9t\u00c3\u00a9\u0080\u00ff";
        byte[] expected = hex(
                "07 00 00 00 00 00 00 00", //  0 ino     = 7
                "09 00 00 00 00 00 00 00", //  8 off     = 9
                "07 00 00 00",             // 16 namelen = 7 (bytes, not UTF-16 units or code points)
                "08 00 00 00",             // 20 type    = 8 (DT_REG)
                "c3 a9 74 c3 a9 80 ff",    // 24 name    = raw bytes
                "00");                     // 31 padding to 32
        assertWrites(expected, b -> Encoder.dirent(b, AT, 7, 9, 8, raw));
    }

    @Test
    void direntPlus() {
        byte[] expected = hex(concat(ENTRY_HEAD_GOLDEN, ATTR_GOLDEN, new String[] {
            // 128 dirent:
            "08 07 06 05 04 03 02 01", // 128 ino     = the entry's attr.ino
            "2a 00 00 00 00 00 00 00", // 136 off     = 42
            "03 00 00 00",             // 144 namelen = 3
            "08 00 00 00",             // 148 type    = 8 (DT_REG)
            "61 62 63",                // 152 name    = "abc"
            "00 00 00 00 00",          // 155 padding to 160
        }));
        assertEquals(160, expected.length);
        assertWrites(expected, b -> Encoder.direntPlus(b, AT, ENTRY, 42, 8, "abc"));
    }

    @Test
    void recordSizes_padTo8() {
        // {name length, dirent record size, direntplus record size}, by hand: align8(24 + n), align8(152 + n)
        int[][] table = {
            {1, 32, 160}, {5, 32, 160}, {7, 32, 160}, {8, 32, 160}, {9, 40, 168},
            {16, 40, 168}, {17, 48, 176}, {255, 280, 408},
        };
        for (int[] row : table) {
            assertEquals(row[1], Encoder.direntSize(row[0]), "direntSize(" + row[0] + ")");
            assertEquals(row[2], Encoder.direntPlusSize(row[0]), "direntPlusSize(" + row[0] + ")");
        }
    }

    @Test
    void encoders_writeExactlyTheirStructSize() {
        ByteBuffer b = guarded(1024);
        assertEquals(100 + Fuse.OUT_HEADER_SIZE, Encoder.outHeader(b, 100, 16, 0, 1));
        assertEquals(100 + Fuse.ATTR_SIZE, Encoder.attr(b, 100, ATTR));
        assertEquals(100 + Fuse.ENTRY_OUT_SIZE, Encoder.entryOut(b, 100, ENTRY));
        assertEquals(100 + Fuse.ATTR_OUT_SIZE, Encoder.attrOut(b, 100, 1, 2, ATTR));
        assertEquals(100 + Fuse.OPEN_OUT_SIZE, Encoder.openOut(b, 100, 1, 2, 3));
        assertEquals(100 + Fuse.INIT_OUT_SIZE,
                Encoder.initOut(b, 100, new InitOut(7, 45, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
        assertEquals(100 + Fuse.KSTATFS_SIZE, Encoder.kstatfs(b, 100, 1, 2, 3, 4, 5, 6, 7, 8));
        assertEquals(100 + Fuse.GETXATTR_OUT_SIZE, Encoder.getxattrOut(b, 100, 1));
        assertEquals(100 + Fuse.DIRENT_SIZE + 8, Encoder.dirent(b, 100, 1, 2, 3, "12345678"));
        assertEquals(100 + Fuse.DIRENTPLUS_SIZE + 8, Encoder.direntPlus(b, 100, ENTRY, 2, 3, "12345678"));
    }
}
