package jover.fuse.codec;

import static jover.fuse.codec.Hex.hex;
import static jover.fuse.codec.RequestGoldenTest.BATCH_FORGET;
import static jover.fuse.codec.RequestGoldenTest.BATCH_FORGET_BODY;
import static jover.fuse.codec.RequestGoldenTest.INIT_IN_64;
import static jover.fuse.codec.RequestGoldenTest.READ_IN;
import static jover.fuse.codec.RequestGoldenTest.WRITE_BODY;
import static jover.fuse.codec.RequestGoldenTest.assertRequest;
import static jover.fuse.codec.RequestGoldenTest.cat;
import static jover.fuse.codec.RequestGoldenTest.contiguous;
import static jover.fuse.codec.RequestGoldenTest.golden;
import static jover.fuse.codec.RequestGoldenTest.request;
import static jover.fuse.codec.RequestGoldenTest.split;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import jover.fuse.abi.Fuse;
import jover.fuse.abi.Opcode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests {@link Decoder#decode} must refuse, or must read only in part: short structs, bad
 * names, payloads shorter than their sizes, unknown opcodes, and a header len that claims more
 * than arrived. Bodies are written by hand as in {@link RequestGoldenTest}.
 */
class RequestMalformedTest {

    private static void assertKind(BadRequest.Kind kind, Executable decode) {
        assertEquals(kind, assertThrows(BadRequest.class, decode).kind());
    }

    private static void assertMalformed(int opcode, String... body) {
        assertKind(BadRequest.Kind.MALFORMED, () -> golden(opcode, body));
    }

    /** Every served opcode with a fixed struct, and that struct's size as fuse.h gives it. */
    static Stream<Arguments> structSizes() {
        return Stream.of(
                arguments("FORGET fuse_forget_in", Opcode.FORGET, 8),
                arguments("BATCH_FORGET fuse_batch_forget_in", Opcode.BATCH_FORGET, 8),
                arguments("GETATTR fuse_getattr_in", Opcode.GETATTR, 16),
                arguments("ACCESS fuse_access_in", Opcode.ACCESS, 8),
                arguments("INTERRUPT fuse_interrupt_in", Opcode.INTERRUPT, 8),
                arguments("OPEN fuse_open_in", Opcode.OPEN, 8),
                arguments("READ fuse_read_in", Opcode.READ, 40),
                arguments("WRITE fuse_write_in", Opcode.WRITE, 40),
                arguments("RELEASE fuse_release_in", Opcode.RELEASE, 24),
                arguments("FSYNC fuse_fsync_in", Opcode.FSYNC, 16),
                arguments("FALLOCATE fuse_fallocate_in", Opcode.FALLOCATE, 32),
                arguments("LSEEK fuse_lseek_in", Opcode.LSEEK, 24),
                arguments("COPY_FILE_RANGE fuse_copy_file_range_in", Opcode.COPY_FILE_RANGE, 56),
                arguments("COPY_FILE_RANGE_64 fuse_copy_file_range_in", Opcode.COPY_FILE_RANGE_64, 56),
                arguments("OPENDIR fuse_open_in", Opcode.OPENDIR, 8),
                arguments("READDIR fuse_read_in", Opcode.READDIR, 40),
                arguments("READDIRPLUS fuse_read_in", Opcode.READDIRPLUS, 40),
                arguments("RELEASEDIR fuse_release_in", Opcode.RELEASEDIR, 24),
                arguments("FSYNCDIR fuse_fsync_in", Opcode.FSYNCDIR, 16),
                arguments("SETATTR fuse_setattr_in", Opcode.SETATTR, 88),
                arguments("MKNOD fuse_mknod_in", Opcode.MKNOD, 16),
                arguments("MKDIR fuse_mkdir_in", Opcode.MKDIR, 8),
                arguments("RENAME fuse_rename_in", Opcode.RENAME, 8),
                arguments("RENAME2 fuse_rename2_in", Opcode.RENAME2, 16),
                arguments("LINK fuse_link_in", Opcode.LINK, 8),
                arguments("CREATE fuse_create_in", Opcode.CREATE, 16),
                arguments("TMPFILE fuse_create_in", Opcode.TMPFILE, 16),
                arguments("SETXATTR fuse_setxattr_in (no SETXATTR_EXT)", Opcode.SETXATTR, 8),
                arguments("GETXATTR fuse_getxattr_in", Opcode.GETXATTR, 8),
                arguments("LISTXATTR fuse_getxattr_in", Opcode.LISTXATTR, 8),
                arguments("INIT fuse_init_in before 7.36", Opcode.INIT, 16),
                arguments("SYNCFS fuse_syncfs_in", Opcode.SYNCFS, 8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structSizes")
    void structOneByteShort_isMalformed(String what, int opcode, int size) {
        assertTrue(Decoder.serves(opcode), what);
        assertMalformed(opcode, " 5a".repeat(size - 1));
        // io_uring: the struct is short even though a payload (two names, some data) follows
        assertKind(BadRequest.Kind.MALFORMED, () -> split(opcode, size - 1,
                " 5a".repeat(size - 1), "6e 00 6f 00 01 02 03 04 05 06 07 08"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structSizes")
    void structComplete_isNotMalformed(String what, int opcode, int size) {
        // a complete struct, then two names; the size fields of WRITE (@16) and SETXATTR (@0) are 0
        String struct = opcode == Opcode.WRITE ? " 5a".repeat(16) + " 00".repeat(4) + " 5a".repeat(20)
                : opcode == Opcode.SETXATTR ? " 00".repeat(4) + " 5a".repeat(4) : " 5a".repeat(size);
        assertDoesNotThrow(() -> golden(opcode, struct, "6e 00 6f 00"), what);
        assertDoesNotThrow(() -> split(opcode, size, struct, "6e 00 6f 00"), what);
    }

    static Stream<Arguments> nameSlots() {
        String z8 = " 5a".repeat(8);
        String z16 = " 5a".repeat(16);
        return Stream.of(
                arguments("LOOKUP name", Opcode.LOOKUP, "", ""),
                arguments("UNLINK name", Opcode.UNLINK, "", ""),
                arguments("RMDIR name", Opcode.RMDIR, "", ""),
                arguments("MKDIR name", Opcode.MKDIR, z8, ""),
                arguments("MKNOD name", Opcode.MKNOD, z16, ""),
                arguments("CREATE name", Opcode.CREATE, z16, ""),
                arguments("LINK newname", Opcode.LINK, z8, ""),
                arguments("SYMLINK name", Opcode.SYMLINK, "", "74 00"),
                arguments("RENAME oldname", Opcode.RENAME, z8, "6e 00"),
                arguments("RENAME newname", Opcode.RENAME, z8 + "6f 00", ""),
                arguments("RENAME2 oldname", Opcode.RENAME2, z16, "6e 00"),
                arguments("RENAME2 newname", Opcode.RENAME2, z16 + "6f 00", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nameSlots")
    void badNames_areMalformed(String what, int opcode, String before, String after) {
        assertDoesNotThrow(() -> golden(opcode, before, "61 00", after), what + " \"a\"");
        assertDoesNotThrow(() -> golden(opcode, before, "2e 2e 2e 00", after), what + " \"...\"");
        assertDoesNotThrow(() -> golden(opcode, before, "2e 61 00", after), what + " \".a\"");
        assertMalformed(opcode, before, "00", after);              // ""
        assertMalformed(opcode, before, "2e 00", after);           // "."
        assertMalformed(opcode, before, "2e 2e 00", after);        // ".."
        assertMalformed(opcode, before, "61 2f 62 00", after);     // "a/b"
        assertMalformed(opcode, before, "2f 00", after);           // "/"
        assertMalformed(opcode, before, "61 62 2f 00", after);     // "ab/"
        assertMalformed(opcode, before, "61 62 63");               // "abc", no NUL before the end
        assertMalformed(opcode, before);                           // nothing at all
    }

    @ParameterizedTest
    @ValueSource(ints = {Opcode.GETXATTR, Opcode.SETXATTR, Opcode.REMOVEXATTR})
    void xattrNameEmptyOrUnterminated_isMalformed(int opcode) {
        String before = opcode == Opcode.REMOVEXATTR ? "" : "00 00 00 00 5a 5a 5a 5a"; // size 0
        assertDoesNotThrow(() -> golden(opcode, before, "75 2e 61 00"));                 // "u.a"
        assertDoesNotThrow(() -> golden(opcode, before, "75 2e 61 2f 62 00"),            // "u.a/b": '/' is
                "a '/' is legal in an xattr name (ext4 takes it)");                      // legal there
        assertMalformed(opcode, before, "00");                                          // ""
        assertMalformed(opcode, before, "75 2e 61");                                    // no NUL
    }

    @Test
    void stringLongerThanTheLongestString_isMalformed() throws BadRequest {
        String longest = " 61".repeat(RequestGoldenTest.MAX_STRING - 1); // PATH_MAX - 1: the longest symlink target
        assertEquals(new Request.Symlink("l", "a".repeat(RequestGoldenTest.MAX_STRING - 1)),
                golden(Opcode.SYMLINK, "6c 00", longest, "00"));
        assertMalformed(Opcode.SYMLINK, "6c 00", longest, "61 61 00");   // MAX_STRING + 1 bytes
        assertMalformed(Opcode.LOOKUP, longest, "61 61 00");
    }

    @Test
    void writeSizeBeyondData_isMalformed() {
        String[] head = java.util.Arrays.copyOf(WRITE_BODY, 7); // fuse_write_in without its data
        head[2] = "06 00 00 00";                                 // 16 size = 6, 5 bytes follow
        assertMalformed(Opcode.WRITE, cat(head, "d1 d2 d3 d4 d5"));
        head[2] = "ff ff ff ff";                                 // 16 size = 0xffffffff
        assertMalformed(Opcode.WRITE, cat(head, "d1 d2 d3 d4 d5"));
    }

    @Test
    void setxattrValueShorterThanSize_isMalformed() {
        assertMalformed(Opcode.SETXATTR,
                "04 00 00 00",                // 0 size  = 4
                "08 07 06 05",                // 4 flags
                "75 2e 6b 00",                // 8 name "u.k\0"
                "f1 f2 f3");                  // 12 value: 3 bytes only
        assertMalformed(Opcode.SETXATTR,
                "ff ff ff ff",                // 0 size  = 0xffffffff
                "08 07 06 05",                // 4 flags
                "75 2e 6b 00",                // 8 name "u.k\0"
                "f1 f2 f3");                  // 12 value
        assertKind(BadRequest.Kind.MALFORMED, () -> split(Opcode.SETXATTR, 8,
                "04 00 00 00", "08 07 06 05", "75 2e 6b 00", "f1 f2 f3"));
    }

    @Test
    void symlinkTargetEmptyOrUnterminated_isMalformed() {
        assertMalformed(Opcode.SYMLINK, "6c 6e 00", "00");         // target ""
        assertMalformed(Opcode.SYMLINK, "6c 6e 00", "74 61 72");   // target "tar", no NUL
        assertMalformed(Opcode.SYMLINK, "6c 6e 00");               // no target
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 19, Opcode.LIMIT, 4096, 9999, -1, -26, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void unknownOpcode(int opcode) {
        assertFalse(Decoder.serves(opcode));
        assertKind(BadRequest.Kind.UNKNOWN_OPCODE, () -> golden(opcode));
        assertKind(BadRequest.Kind.UNKNOWN_OPCODE, () -> golden(opcode, READ_IN));
    }

    @Test
    void headerLenBeyondReceived_readsOnlyWhatArrived() {
        byte[] lookup = request(Opcode.LOOKUP, "61 62 63 00");     // len 44; the NUL is byte 43
        assertKind(BadRequest.Kind.MALFORMED, () -> contiguous(lookup, 43));
        byte[] read = request(Opcode.READ, READ_IN);              // len 80
        assertKind(BadRequest.Kind.MALFORMED, () -> contiguous(read, 79));
        byte[] write = request(Opcode.WRITE, WRITE_BODY);         // len 85, 5 bytes of data
        assertKind(BadRequest.Kind.MALFORMED, () -> contiguous(write, 84));
        byte[] setxattr = request(Opcode.SETXATTR, RequestGoldenTest.SETXATTR_BODY);
        assertKind(BadRequest.Kind.MALFORMED, () -> contiguous(setxattr, setxattr.length - 1));
    }

    @Test
    void headerLenBeyondReceived_truncatesInitAndBatchForget() throws BadRequest {
        byte[] init = request(Opcode.INIT, INIT_IN_64);           // 64-byte init_in, 16 bytes arrived
        assertEquals(new Request.Init(new InitIn(0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10, 0)),
                contiguous(init, Fuse.IN_HEADER_SIZE + 16));
        byte[] forget = request(Opcode.BATCH_FORGET, BATCH_FORGET_BODY); // 2 records; 1.5 arrived
        assertRequest(new Request.BatchForget(new long[] {0x0102030405060708L}, new long[] {0x1112131415161718L}),
                contiguous(forget, forget.length - 8));
        assertRequest(BATCH_FORGET, contiguous(forget, forget.length));
    }

    @Test
    void headerLenShorterThanReceived_endsTheRequest() throws BadRequest {
        byte[] lookup = hex(RequestGoldenTest.header(43, Opcode.LOOKUP)); // len 43 claims "abc" without its NUL
        byte[] req = java.util.Arrays.copyOf(lookup, 44);
        System.arraycopy(hex("61 62 63"), 0, req, 40, 3);         // byte 43 (NUL) arrived but is not in len
        assertKind(BadRequest.Kind.MALFORMED, () -> contiguous(req, 44));
        byte[] write = request(Opcode.WRITE, cat(WRITE_BODY, "e1 e2")); // bytes after WRITE's data: not data
        assertRequest(RequestGoldenTest.WRITE, contiguous(write, write.length));
    }

    @Test
    void batchForgetCountBeyondRecords_isCut() throws BadRequest {
        String[] body = BATCH_FORGET_BODY.clone();
        body[0] = "03 00 00 00";                                  // 0 count = 3, 2 records follow
        assertRequest(BATCH_FORGET, golden(Opcode.BATCH_FORGET, body));
        body[0] = "ff ff ff ff";                                  // 0 count = 0xffffffff (unsigned)
        assertRequest(BATCH_FORGET, golden(Opcode.BATCH_FORGET, cat(body, "a1 a2 a3 a4 a5 a6 a7 a8")));
        body[0] = "00 00 00 00";                                  // 0 count = 0
        assertRequest(new Request.BatchForget(new long[0], new long[0]), golden(Opcode.BATCH_FORGET, body));
        body[0] = "09 00 00 00";                                  // 0 count = 9, 2 records follow
        assertRequest(BATCH_FORGET, split(Opcode.BATCH_FORGET, 8, body));
    }
}
