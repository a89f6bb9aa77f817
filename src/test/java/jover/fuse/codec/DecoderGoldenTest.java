package jover.fuse.codec;

import static jover.fuse.codec.Hex.hex;
import static jover.fuse.codec.Hex.zeros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jover.fuse.abi.Fuse;
import org.junit.jupiter.api.Test;

/** Golden bytes for the request structs {@link Decoder} reads, written by hand from fuse-protocol.md. */
class DecoderGoldenTest {

    private static ByteBuffer le(byte[] a) {
        return ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The payload bytes of {@code b} in [off, end) as a request's payload, its cursor at the start. */
    private static RequestBytes payload(ByteBuffer b, int off, int end) {
        RequestBytes in = new RequestBytes(4096);
        in.split(le(new byte[40]), 0, le(new byte[0]), 0, 0, b, off, end - off);
        return in;
    }

    /** The C string at {@code off} of {@code b}, ending before {@code end}; null without a NUL. */
    private static String cstring(ByteBuffer b, int off, int end) {
        return payload(b, off, end).cstring();
    }

    static final String[] IN_HEADER_GOLDEN = {
        "14 13 12 11",             //  0 len          = 0x11121314
        "24 23 22 21",             //  4 opcode       = 0x21222324
        "38 37 36 35 34 33 32 31", //  8 unique       = 0x3132333435363738
        "48 47 46 45 44 43 42 41", // 16 nodeid       = 0x4142434445464748
        "54 53 52 51",             // 24 uid          = 0x51525354
        "64 63 62 61",             // 28 gid          = 0x61626364
        "74 73 72 71",             // 32 pid          = 0x71727374
        "82 81",                   // 36 total_extlen = 0x8182 (u16)
        "92 91",                   // 38 padding      (ignored)
    };

    @Test
    void inHeader() {
        byte[] bytes = hex(IN_HEADER_GOLDEN);
        assertEquals(Fuse.IN_HEADER_SIZE, bytes.length);
        InHeader h = Decoder.header(le(bytes));
        assertEquals(new InHeader(0x11121314, 0x21222324, 0x3132333435363738L, 0x4142434445464748L,
                0x51525354, 0x61626364, 0x71727374, 0x8182), h);
    }

    @Test
    void inHeader_realisticLookup() {
        byte[] bytes = hex(
                "2e 00 00 00",             //  0 len          = 46 (40 + "hello\0")
                "01 00 00 00",             //  4 opcode       = 1 (LOOKUP)
                "02 00 00 00 00 00 00 00", //  8 unique       = 2
                "01 00 00 00 00 00 00 00", // 16 nodeid       = 1 (root)
                "e8 03 00 00",             // 24 uid          = 1000
                "64 00 00 00",             // 28 gid          = 100
                "39 30 00 00",             // 32 pid          = 12345
                "00 00",                   // 36 total_extlen = 0
                "00 00",                   // 38 padding
                "68 65 6c 6c 6f 00");      // 40 name "hello\0"
        InHeader h = Decoder.header(le(bytes));
        assertEquals(new InHeader(46, 1, 2, 1, 1000, 100, 12345, 0), h);
        assertEquals("hello", cstring(le(bytes), 40, bytes.length));
    }

    @Test
    void inHeader_unsignedFieldsKeepTheirBits() {
        byte[] bytes = hex(
                "ff ff ff ff",             //  0 len          = 0xffffffff
                "ff ff ff ff",             //  4 opcode
                "ff ff ff ff ff ff ff ff", //  8 unique
                "ff ff ff ff ff ff ff ff", // 16 nodeid
                "ff ff ff ff",             // 24 uid          = 4294967295 (-1 as int)
                "ff ff ff ff",             // 28 gid
                "ff ff ff ff",             // 32 pid
                "ff ff",                   // 36 total_extlen = 65535: must not sign-extend
                "ff ff");                  // 38 padding
        InHeader h = Decoder.header(le(bytes));
        assertEquals(new InHeader(-1, -1, -1L, -1L, -1, -1, -1, 0xffff), h);
    }

    @Test
    void initIn_distinctFields() {
        byte[] bytes = hex(
                zeros(40),                 // (a header before the body; not read here)
                "04 03 02 01",             // 40+0  major         = 0x01020304
                "08 07 06 05",             // 40+4  minor         = 0x05060708
                "0c 0b 0a 09",             // 40+8  max_readahead = 0x090a0b0c
                "10 0f 0e 0d",             // 40+12 flags         = 0x0d0e0f10
                "14 13 12 11",             // 40+16 flags2        = 0x11121314
                "ee".repeat(44));          // 40+20 unused[11]    (ignored)
        assertEquals(40 + Fuse.INIT_IN_SIZE, bytes.length);
        InitIn in = Decoder.initIn(le(bytes), Fuse.IN_HEADER_SIZE);
        assertEquals(new InitIn(0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10, 0x11121314), in);
    }

    @Test
    void initIn_whatThisKernelOffers() {
        byte[] bytes = hex(
                "07 00 00 00",             //  0 major         = 7
                "2d 00 00 00",             //  4 minor         = 45
                "00 00 02 00",             //  8 max_readahead = 0x20000
                "fb ff ff 73",             // 12 flags         = 0x73fffffb
                "fd 05 00 00",             // 16 flags2        = 0x5fd
                zeros(44));                // 20 unused
        InitIn in = Decoder.initIn(le(bytes), 0);
        assertEquals(new InitIn(7, 45, 0x20000, 0x73fffffb, 0x5fd), in);
    }

    @Test
    void cstring_stopsAtFirstNul() {
        byte[] bytes = hex("61 62 00 63 64 00");
        assertEquals("ab", cstring(le(bytes), 0, bytes.length));
        assertEquals("cd", cstring(le(bytes), 3, bytes.length));
        assertEquals("", cstring(le(bytes), 2, bytes.length));
    }

    @Test
    void cstring_withoutNulBeforeEnd_isNull() {
        byte[] bytes = hex("61 62 63 00");
        assertNull(cstring(le(bytes), 0, 3), "NUL at index 3 is outside [0, 3)");
        assertNull(cstring(le(bytes), 0, 0));
    }

    @Test
    void cstring_rawBytesAbove0x7fSurvive() {
        byte[] bytes = hex("80 c3 a9 ff 7f 01 00");
        String s = cstring(le(bytes), 0, bytes.length);
        assertEquals("\u0080\u00c3\u00a9\u00ff\u007f\u0001", s);
        for (int i = 0; i < s.length(); i++) {
            assertEquals(bytes[i] & 0xff, s.charAt(i), "char " + i);
        }
    }

    @Test
    void cstring_everyNonNulByteValue() {
        byte[] bytes = new byte[256];
        for (int i = 1; i < 256; i++) {
            bytes[i - 1] = (byte) i;
        }
        bytes[255] = 0;
        String s = cstring(le(bytes), 0, 256);
        assertEquals(255, s.length());
        for (int i = 0; i < 255; i++) {
            assertEquals(i + 1, s.charAt(i), "char " + i);
        }
    }

    @Test
    void cstring_successiveStringsAdvanceTheCursor() {
        byte[] bytes = hex("61 62 00 63 00 64");
        RequestBytes in = payload(le(bytes), 0, bytes.length);
        assertEquals("ab", in.cstring());
        assertEquals("c", in.cstring());
        assertNull(in.cstring(), "\"d\" has no NUL before the end");
        assertEquals(1, in.remaining(), "a failed read leaves the cursor where it was");
    }
}
