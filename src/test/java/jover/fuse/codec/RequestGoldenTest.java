package jover.fuse.codec;

import static jover.fuse.codec.Hex.guarded;
import static jover.fuse.codec.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.ByteBuffer;
import java.util.Arrays;
import jover.fuse.abi.Fuse;
import jover.fuse.abi.Opcode;
import org.junit.jupiter.api.Test;

/**
 * Golden requests for {@link Decoder#decode}: a 40-byte fuse_in_header, then each opcode's body
 * written by hand from the struct layouts of shared/fuse-protocol.md (include/uapi/linux/fuse.h,
 * protocol 7.45), one hex string per field with its offset in the body, its name and its value.
 * Every field holds distinct bytes, so a field read at a wrong offset, with a wrong width or in
 * a wrong byte order gives a different record. Requests sit in buffers followed by 0xAA guard
 * bytes, so reading past the received bytes shows up too. Malformed input: RequestMalformedTest.
 */
class RequestGoldenTest {
    /** The longest string a request may carry, as the transports use it. */
    static final int MAX_STRING = 4096;
    static final long UNIQUE = 0xe1e2e3e4e5e6e7e8L;
    static final long NODEID = 0xf1f2f3f4f5f6f7f8L;
    static final int UID = 0xc1c2c3c4;
    static final int GID = 0xc5c6c7c8;
    static final int PID = 0xc9cacbcc;
    /** io_uring layout: where the header, the struct and the payload sit in their buffers. */
    static final int HEAD_OFF = 24;
    static final int STRUCT_OFF = HEAD_OFF + 128;
    static final int PAYLOAD_OFF = 7;

    /** fuse_in_header (its own offsets are pinned by DecoderGoldenTest); len and opcode vary. */
    static String[] header(int len, int opcode) {
        return new String[] {
            le32(len),                 //  0 len          = the request's size
            le32(opcode),              //  4 opcode
            "e8 e7 e6 e5 e4 e3 e2 e1", //  8 unique       = UNIQUE
            "f8 f7 f6 f5 f4 f3 f2 f1", // 16 nodeid       = NODEID
            "c4 c3 c2 c1",             // 24 uid          = UID
            "c8 c7 c6 c5",             // 28 gid          = GID
            "cc cb ca c9",             // 32 pid          = PID
            "00 00",                   // 36 total_extlen = 0
            "d2 d1",                   // 38 padding      (ignored)
        };
    }

    static String le32(int v) {
        return String.format("%02x %02x %02x %02x", v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
    }

    /** Header (len = 40 + body) then body. */
    static byte[] request(int opcode, String... body) {
        byte[] b = hex(body);
        byte[] h = hex(header(Fuse.IN_HEADER_SIZE + b.length, opcode));
        byte[] r = Arrays.copyOf(h, h.length + b.length);
        System.arraycopy(b, 0, r, h.length, b.length);
        return r;
    }

    /** {@code req} at index 0 of a buffer with guard bytes after it, {@code length} bytes of it received. */
    static Request contiguous(byte[] req, int length) throws BadRequest {
        ByteBuffer b = guarded(req.length + 64).put(0, req);
        RequestBytes in = new RequestBytes(MAX_STRING);
        in.contiguous(b, length);
        return Decoder.decode(in.header(), in);
    }

    /** A whole request received over /dev/fuse; its header is checked too. */
    static Request golden(int opcode, String... body) throws BadRequest {
        byte[] req = request(opcode, body);
        ByteBuffer b = guarded(req.length + 64).put(0, req);
        RequestBytes in = new RequestBytes(MAX_STRING);
        in.contiguous(b, req.length);
        assertEquals(new InHeader(req.length, opcode, UNIQUE, NODEID, UID, GID, PID, 0), in.header());
        return Decoder.decode(in.header(), in);
    }

    /** The same request laid out as io_uring does: the first {@code structSize} body bytes apart. */
    static Request split(int opcode, int structSize, String... body) throws BadRequest {
        return split(new RequestBytes(MAX_STRING), opcode, structSize, body);
    }

    static Request split(RequestBytes in, int opcode, int structSize, String... body) throws BadRequest {
        byte[] b = hex(body);
        int payloadLength = b.length - structSize;
        ByteBuffer head = guarded(STRUCT_OFF + structSize + 16)
                .put(HEAD_OFF, hex(header(Fuse.IN_HEADER_SIZE + b.length, opcode)))
                .put(STRUCT_OFF, b, 0, structSize);
        ByteBuffer payload = guarded(PAYLOAD_OFF + payloadLength + 16).put(PAYLOAD_OFF, b, structSize, payloadLength);
        in.split(head, HEAD_OFF, head, STRUCT_OFF, structSize, payload, PAYLOAD_OFF, payloadLength);
        assertEquals(new InHeader(Fuse.IN_HEADER_SIZE + b.length, opcode, UNIQUE, NODEID, UID, GID, PID, 0),
                in.header());
        return Decoder.decode(in.header(), in);
    }

    static byte[] bytes(ByteBuffer v) {
        byte[] r = new byte[v.remaining()];
        v.duplicate().get(r);
        return r;
    }

    /** Record equality, with array and buffer components compared by content. */
    static void assertRequest(Request expected, Request actual) {
        if (expected instanceof Request.Write w) {
            Request.Write a = assertInstanceOf(Request.Write.class, actual);
            assertEquals(new Request.Write(w.fh(), w.offset(), w.size(), w.writeFlags(), null),
                    new Request.Write(a.fh(), a.offset(), a.size(), a.writeFlags(), null));
            assertEquals(a.size(), a.data().remaining(), "data view size");
            assertArrayEquals(bytes(w.data()), bytes(a.data()), "data");
        } else if (expected instanceof Request.Setxattr s) {
            Request.Setxattr a = assertInstanceOf(Request.Setxattr.class, actual);
            assertEquals(new Request.Setxattr(s.name(), null, s.flags()),
                    new Request.Setxattr(a.name(), null, a.flags()));
            assertArrayEquals(s.value(), a.value(), "value");
        } else if (expected instanceof Request.BatchForget f) {
            Request.BatchForget a = assertInstanceOf(Request.BatchForget.class, actual);
            assertArrayEquals(f.nodeIds(), a.nodeIds(), "nodeIds");
            assertArrayEquals(f.counts(), a.counts(), "counts");
        } else {
            assertEquals(expected, actual);
        }
    }

    static String[] cat(String[] a, String... more) {
        String[] r = Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, r, a.length, more.length);
        return r;
    }

    static final String[] READ_IN = {         // fuse_read_in (40), also READDIR and READDIRPLUS
        "08 07 06 05 04 03 02 01",            //  0 fh         = 0x0102030405060708
        "18 17 16 15 14 13 12 11",            //  8 offset     = 0x1112131415161718
        "24 23 22 21",                        // 16 size       = 0x21222324
        "34 33 32 31",                        // 20 read_flags (ignored)
        "48 47 46 45 44 43 42 41",            // 24 lock_owner (ignored)
        "54 53 52 51",                        // 32 flags      (ignored)
        "64 63 62 61",                        // 36 padding
    };
    static final String[] OPEN_IN = {         // fuse_open_in (8), also OPENDIR
        "04 03 02 01",                        //  0 flags      = 0x01020304
        "08 07 06 05",                        //  4 open_flags (ignored)
    };
    static final String[] RELEASE_IN = {      // fuse_release_in (24), also RELEASEDIR
        "08 07 06 05 04 03 02 01",            //  0 fh            = 0x0102030405060708
        "14 13 12 11",                        //  8 flags         (ignored)
        "18 17 16 15",                        // 12 release_flags (ignored)
        "28 27 26 25 24 23 22 21",            // 16 lock_owner    (ignored)
    };
    static final String[] FSYNC_IN = {        // fuse_fsync_in (16) with FSYNC_FDATASYNC, also FSYNCDIR
        "08 06 04 02 00 fe fc fa",            //  0 fh          = 0xfafcfe0002040608 (even bytes)
        "01 00 00 00",                        //  8 fsync_flags = FSYNC_FDATASYNC
        "12 14 16 18",                        // 12 padding     (even bytes: bit 0 clear)
    };
    static final String[] FSYNC_IN_NO_DATASYNC = {
        "09 07 05 03 01 ff fd fb",            //  0 fh          = 0xfbfdff0103050709 (odd bytes)
        "fe ff ff ff",                        //  8 fsync_flags = every bit but FSYNC_FDATASYNC
        "11 13 15 17",                        // 12 padding     (odd bytes: bit 0 set)
    };
    static final String[] COPY_FILE_RANGE_IN = { // fuse_copy_file_range_in (56), also COPY_FILE_RANGE_64
        "08 07 06 05 04 03 02 01",            //  0 fh_in      = 0x0102030405060708
        "18 17 16 15 14 13 12 11",            //  8 off_in     = 0x1112131415161718
        "28 27 26 25 24 23 22 21",            // 16 nodeid_out = 0x2122232425262728
        "38 37 36 35 34 33 32 31",            // 24 fh_out     = 0x3132333435363738
        "48 47 46 45 44 43 42 41",            // 32 off_out    = 0x4142434445464748
        "58 57 56 55 54 53 52 51",            // 40 len        = 0x5152535455565758
        "68 67 66 65 64 63 62 61",            // 48 flags      = 0x6162636465666768
    };
    static final String[] CREATE_IN = {       // fuse_create_in (16), also TMPFILE
        "04 03 02 01",                        //  0 flags      = 0x01020304
        "08 07 06 05",                        //  4 mode       = 0x05060708
        "0c 0b 0a 09",                        //  8 umask      = 0x090a0b0c
        "10 0f 0e 0d",                        // 12 open_flags (ignored)
    };
    static final String[] INIT_IN_16 = {      // fuse_init_in before 7.36 (16)
        "04 03 02 01",                        //  0 major         = 0x01020304
        "08 07 06 05",                        //  4 minor         = 0x05060708
        "0c 0b 0a 09",                        //  8 max_readahead = 0x090a0b0c
        "10 0f 0e 0d",                        // 12 flags         = 0x0d0e0f10
    };
    static final String[] INIT_IN_64 = cat(INIT_IN_16,
        "14 13 12 11",                        // 16 flags2        = 0x11121314
        " ee".repeat(44));                    // 20 unused[11]    (ignored)

    @Test
    void nameOnlyOpcodes() throws BadRequest {
        assertEquals(new Request.Lookup("name"), golden(Opcode.LOOKUP, "6e 61 6d 65 00")); // 0 name "name\0"
        assertEquals(new Request.Unlink("unl"), golden(Opcode.UNLINK, "75 6e 6c 00"));     // 0 name "unl\0"
        assertEquals(new Request.Rmdir("rmd"), golden(Opcode.RMDIR, "72 6d 64 00"));       // 0 name "rmd\0"
        assertEquals(new Request.Removexattr("user.k"),
                golden(Opcode.REMOVEXATTR, "75 73 65 72 2e 6b 00"));                      // 0 name "user.k\0"
    }

    @Test
    void bodilessOpcodes() throws BadRequest {
        assertEquals(new Request.Readlink(), golden(Opcode.READLINK));
        assertEquals(new Request.Statfs(), golden(Opcode.STATFS));
        assertEquals(new Request.Destroy(), golden(Opcode.DESTROY));
        assertEquals(new Request.Syncfs(), golden(Opcode.SYNCFS,
                "08 07 06 05 04 03 02 01"));  //  0 fuse_syncfs_in.padding (ignored)
    }

    @Test
    void forgetAndInterrupt() throws BadRequest {
        assertEquals(new Request.Forget(0x0102030405060708L), golden(Opcode.FORGET,
                "08 07 06 05 04 03 02 01"));  //  0 nlookup = 0x0102030405060708
        assertEquals(new Request.Interrupt(0x1112131415161718L), golden(Opcode.INTERRUPT,
                "18 17 16 15 14 13 12 11"));  //  0 unique  = 0x1112131415161718
    }

    static final String[] BATCH_FORGET_BODY = {
        "02 00 00 00",                        //  0 count          = 2
        "a4 a3 a2 a1",                        //  4 dummy          (ignored)
        "08 07 06 05 04 03 02 01",            //  8 [0].nodeid     = 0x0102030405060708
        "18 17 16 15 14 13 12 11",            // 16 [0].nlookup    = 0x1112131415161718
        "28 27 26 25 24 23 22 21",            // 24 [1].nodeid     = 0x2122232425262728
        "38 37 36 35 34 33 32 31",            // 32 [1].nlookup    = 0x3132333435363738
    };
    static final Request.BatchForget BATCH_FORGET = new Request.BatchForget(
            new long[] {0x0102030405060708L, 0x2122232425262728L},   // nodeid of [0], [1]
            new long[] {0x1112131415161718L, 0x3132333435363738L});  // nlookup of [0], [1]

    @Test
    void batchForget() throws BadRequest {
        assertRequest(BATCH_FORGET, golden(Opcode.BATCH_FORGET, BATCH_FORGET_BODY));
    }

    @Test
    void getattr() throws BadRequest {
        assertEquals(new Request.Getattr(0x1112131415161718L), golden(Opcode.GETATTR,
                "01 00 00 00",                //  0 getattr_flags = GETATTR_FH
                "08 07 06 05",                //  4 dummy         (ignored)
                "18 17 16 15 14 13 12 11"));  //  8 fh            = 0x1112131415161718
        assertEquals(new Request.Getattr(-1), golden(Opcode.GETATTR,
                "00 00 00 00",                //  0 getattr_flags = 0: no fh
                "09 07 05 03",                //  4 dummy         (odd: bit 0 set)
                "18 17 16 15 14 13 12 11"));  //  8 fh            (not named: ignored)
        assertEquals(new Request.Getattr(-1), golden(Opcode.GETATTR,
                "fe ff ff ff",                //  0 getattr_flags = every bit but GETATTR_FH
                "09 07 05 03",                //  4 dummy
                "18 17 16 15 14 13 12 11"));  //  8 fh            (ignored)
    }

    @Test
    void accessOpenOpendir() throws BadRequest {
        assertEquals(new Request.Access(0x01020304), golden(Opcode.ACCESS,
                "04 03 02 01",                //  0 mask    = 0x01020304
                "08 07 06 05"));              //  4 padding
        assertEquals(new Request.Open(0x01020304), golden(Opcode.OPEN, OPEN_IN));
        assertEquals(new Request.Opendir(0x01020304), golden(Opcode.OPENDIR, OPEN_IN));
    }

    @Test
    void readAndReaddir() throws BadRequest {
        assertEquals(new Request.Read(0x0102030405060708L, 0x1112131415161718L, 0x21222324),
                golden(Opcode.READ, READ_IN));
        assertEquals(new Request.Readdir(0x0102030405060708L, 0x1112131415161718L, 0x21222324, false),
                golden(Opcode.READDIR, READ_IN));
        assertEquals(new Request.Readdir(0x0102030405060708L, 0x1112131415161718L, 0x21222324, true),
                golden(Opcode.READDIRPLUS, READ_IN));
    }

    static final String[] WRITE_BODY = {
        "08 07 06 05 04 03 02 01",            //  0 fh          = 0x0102030405060708
        "18 17 16 15 14 13 12 11",            //  8 offset      = 0x1112131415161718
        "05 00 00 00",                        // 16 size        = 5
        "34 33 32 31",                        // 20 write_flags = 0x31323334
        "48 47 46 45 44 43 42 41",            // 24 lock_owner  (ignored)
        "54 53 52 51",                        // 32 flags       (ignored)
        "64 63 62 61",                        // 36 padding
        "d1 d2 00 d4 d5",                     // 40 data (5 bytes)
    };
    static final Request.Write WRITE = new Request.Write(0x0102030405060708L, 0x1112131415161718L, 5, 0x31323334,
            ByteBuffer.wrap(hex("d1 d2 00 d4 d5")));

    @Test
    void write() throws BadRequest {
        assertRequest(WRITE, golden(Opcode.WRITE, WRITE_BODY));
    }

    @Test
    void write_dataIsAViewOfTheRequestBuffer() throws BadRequest {
        byte[] req = request(Opcode.WRITE, cat(WRITE_BODY, "e1 e2 e3")); // 3 bytes after the data: not data
        ByteBuffer b = guarded(req.length).put(0, req);
        RequestBytes in = new RequestBytes(MAX_STRING);
        in.contiguous(b, req.length);
        Request.Write w = (Request.Write) Decoder.decode(in.header(), in);
        assertRequest(WRITE, w);
        b.put(Fuse.IN_HEADER_SIZE + Fuse.WRITE_IN_SIZE, (byte) 0x77);
        assertEquals(0x77, w.data().get(w.data().position()), "data is read in place, not copied");
    }

    @Test
    void releaseFsync() throws BadRequest {
        assertEquals(new Request.Release(0x0102030405060708L), golden(Opcode.RELEASE, RELEASE_IN));
        assertEquals(new Request.Releasedir(0x0102030405060708L), golden(Opcode.RELEASEDIR, RELEASE_IN));
        assertEquals(new Request.Fsync(0xfafcfe0002040608L, true), golden(Opcode.FSYNC, FSYNC_IN));
        assertEquals(new Request.Fsyncdir(0xfafcfe0002040608L, true), golden(Opcode.FSYNCDIR, FSYNC_IN));
        assertEquals(new Request.Fsync(0xfbfdff0103050709L, false), golden(Opcode.FSYNC, FSYNC_IN_NO_DATASYNC));
        assertEquals(new Request.Fsyncdir(0xfbfdff0103050709L, false),
                golden(Opcode.FSYNCDIR, FSYNC_IN_NO_DATASYNC));
    }

    @Test
    void fallocateLseek() throws BadRequest {
        assertEquals(new Request.Fallocate(0x0102030405060708L, 0x1112131415161718L, 0x2122232425262728L, 0x31323334),
                golden(Opcode.FALLOCATE,
                        "08 07 06 05 04 03 02 01",  //  0 fh      = 0x0102030405060708
                        "18 17 16 15 14 13 12 11",  //  8 offset  = 0x1112131415161718
                        "28 27 26 25 24 23 22 21",  // 16 length  = 0x2122232425262728
                        "34 33 32 31",              // 24 mode    = 0x31323334
                        "38 37 36 35"));            // 28 padding
        assertEquals(new Request.Lseek(0x0102030405060708L, 0x1112131415161718L, 0x21222324),
                golden(Opcode.LSEEK,
                        "08 07 06 05 04 03 02 01",  //  0 fh      = 0x0102030405060708
                        "18 17 16 15 14 13 12 11",  //  8 offset  = 0x1112131415161718
                        "24 23 22 21",              // 16 whence  = 0x21222324
                        "28 27 26 25"));            // 20 padding
    }

    @Test
    void copyFileRange() throws BadRequest {
        Request.CopyFileRange narrow = new Request.CopyFileRange(0x0102030405060708L, 0x1112131415161718L,
                0x2122232425262728L, 0x3132333435363738L, 0x4142434445464748L, 0x5152535455565758L,
                0x6162636465666768L, false);
        assertEquals(narrow, golden(Opcode.COPY_FILE_RANGE, COPY_FILE_RANGE_IN));
        assertEquals(new Request.CopyFileRange(narrow.fhIn(), narrow.offIn(), narrow.nodeOut(), narrow.fhOut(),
                narrow.offOut(), narrow.len(), narrow.flags(), true),
                golden(Opcode.COPY_FILE_RANGE_64, COPY_FILE_RANGE_IN));
    }

    @Test
    void setattr() throws BadRequest {
        assertEquals(new Request.Setattr(0x01020304, 0x1112131415161718L, 0x2122232425262728L,
                0x4142434445464748L, 0x71727374, 0x5152535455565758L, 0x75767778,
                0x81828384, 0x91929394, 0x95969798), golden(Opcode.SETATTR,
                "04 03 02 01",                //  0 valid      = 0x01020304
                "a4 a3 a2 a1",                //  4 padding
                "18 17 16 15 14 13 12 11",    //  8 fh         = 0x1112131415161718
                "28 27 26 25 24 23 22 21",    // 16 size       = 0x2122232425262728
                "38 37 36 35 34 33 32 31",    // 24 lock_owner (ignored)
                "48 47 46 45 44 43 42 41",    // 32 atime      = 0x4142434445464748
                "58 57 56 55 54 53 52 51",    // 40 mtime      = 0x5152535455565758
                "68 67 66 65 64 63 62 61",    // 48 ctime      (ignored)
                "74 73 72 71",                // 56 atimensec  = 0x71727374
                "78 77 76 75",                // 60 mtimensec  = 0x75767778
                "7c 7b 7a 79",                // 64 ctimensec  (ignored)
                "84 83 82 81",                // 68 mode       = 0x81828384
                "88 87 86 85",                // 72 unused4
                "94 93 92 91",                // 76 uid        = 0x91929394
                "98 97 96 95",                // 80 gid        = 0x95969798
                "9c 9b 9a 99"));              // 84 unused5
    }

    @Test
    void mknodMkdirSymlink() throws BadRequest {
        assertEquals(new Request.Mknod("nod", 0x01020304, 0x05060708, 0x090a0b0c), golden(Opcode.MKNOD,
                "04 03 02 01",                //  0 mode    = 0x01020304
                "08 07 06 05",                //  4 rdev    = 0x05060708
                "0c 0b 0a 09",                //  8 umask   = 0x090a0b0c
                "10 0f 0e 0d",                // 12 padding
                "6e 6f 64 00"));              // 16 name "nod\0"
        assertEquals(new Request.Mkdir("dir", 0x01020304, 0x05060708), golden(Opcode.MKDIR,
                "04 03 02 01",                //  0 mode    = 0x01020304
                "08 07 06 05",                //  4 umask   = 0x05060708
                "64 69 72 00"));              //  8 name "dir\0"
        assertEquals(new Request.Symlink("ln", "../t/x"), golden(Opcode.SYMLINK,
                "6c 6e 00",                   //  0 name "ln\0"
                "2e 2e 2f 74 2f 78 00"));     //  3 target "../t/x\0"
    }

    @Test
    void renameLink() throws BadRequest {
        assertEquals(new Request.Rename(0x0102030405060708L, "old", "new", 0), golden(Opcode.RENAME,
                "08 07 06 05 04 03 02 01",    //  0 newdir  = 0x0102030405060708
                "6f 6c 64 00",                //  8 oldname "old\0"
                "6e 65 77 00"));              // 12 newname "new\0"
        assertEquals(new Request.Rename(0x0102030405060708L, "old", "new", 0x11121314), golden(Opcode.RENAME2,
                "08 07 06 05 04 03 02 01",    //  0 newdir  = 0x0102030405060708
                "14 13 12 11",                //  8 flags   = 0x11121314
                "18 17 16 15",                // 12 padding
                "6f 6c 64 00",                // 16 oldname "old\0"
                "6e 65 77 00"));              // 20 newname "new\0"
        assertEquals(new Request.Link(0x0102030405060708L, "lnk"), golden(Opcode.LINK,
                "08 07 06 05 04 03 02 01",    //  0 oldnodeid = 0x0102030405060708
                "6c 6e 6b 00"));              //  8 newname "lnk\0"
    }

    @Test
    void createTmpfile() throws BadRequest {
        assertEquals(new Request.Create("new", 0x01020304, 0x05060708, 0x090a0b0c),
                golden(Opcode.CREATE, cat(CREATE_IN, "6e 65 77 00"))); // 16 name "new\0"
        // vfs_tmpfile names its dentry "/", and fuse_create_open sends that name: not to be refused
        assertEquals(new Request.Tmpfile(0x01020304, 0x05060708, 0x090a0b0c),
                golden(Opcode.TMPFILE, cat(CREATE_IN, "2f 00")));       // 16 name "/\0"
    }

    static final String[] SETXATTR_BODY = {
        "03 00 00 00",                        //  0 size  = 3
        "08 07 06 05",                        //  4 flags = 0x05060708
        "75 73 65 72 2e 6b 00",               //  8 name "user.k\0"
        "f1 00 f3",                           // 15 value (3 raw bytes, a NUL among them)
    };
    static final Request.Setxattr SETXATTR = new Request.Setxattr("user.k", hex("f1 00 f3"), 0x05060708);

    @Test
    void xattrs() throws BadRequest {
        assertRequest(SETXATTR, golden(Opcode.SETXATTR, SETXATTR_BODY));
        assertEquals(new Request.Getxattr("user.k", 0x01020304), golden(Opcode.GETXATTR,
                "04 03 02 01",                //  0 size    = 0x01020304
                "08 07 06 05",                //  4 padding
                "75 73 65 72 2e 6b 00"));     //  8 name "user.k\0"
        assertEquals(new Request.Listxattr(0x01020304), golden(Opcode.LISTXATTR,
                "04 03 02 01",                //  0 size    = 0x01020304
                "08 07 06 05"));              //  4 padding
    }

    @Test
    void init() throws BadRequest {
        assertEquals(new Request.Init(new InitIn(0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10, 0x11121314)),
                golden(Opcode.INIT, INIT_IN_64));
        // before 7.36 the struct ends after flags; the guard bytes that follow are not flags2
        assertEquals(new Request.Init(new InitIn(0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10, 0)),
                golden(Opcode.INIT, INIT_IN_16));
    }

    @Test
    void rawNameBytesAreOneCharEach() throws BadRequest {
        assertEquals(new Request.Lookup("\u0080\u00c3\u00a9\u00ff\u007f\u0001"),
                golden(Opcode.LOOKUP, "80 c3 a9 ff 7f 01 00")); // 0 name: raw bytes, not UTF-8
        assertEquals(new Request.Symlink("\u00e9", "\u00c3\u00a9/\u00fe"),
                golden(Opcode.SYMLINK, "e9 00", "c3 a9 2f fe 00")); // 0 name, 2 target
    }

    @Test
    void splitLayout_sameRecordsAsContiguous() throws BadRequest {
        assertEquals(new Request.Lookup("name"), split(Opcode.LOOKUP, 0, "6e 61 6d 65 00"));
        assertRequest(WRITE, split(Opcode.WRITE, Fuse.WRITE_IN_SIZE, WRITE_BODY));
        assertRequest(SETXATTR, split(Opcode.SETXATTR, 8, SETXATTR_BODY));
        assertRequest(BATCH_FORGET, split(Opcode.BATCH_FORGET, 8, BATCH_FORGET_BODY));
        assertEquals(new Request.Read(0x0102030405060708L, 0x1112131415161718L, 0x21222324),
                split(Opcode.READ, 40, READ_IN));
        assertEquals(new Request.Rename(0x0102030405060708L, "old", "new", 0x11121314), split(Opcode.RENAME2, 16,
                "08 07 06 05 04 03 02 01", "14 13 12 11", "18 17 16 15", "6f 6c 64 00", "6e 65 77 00"));
        assertEquals(new Request.Symlink("ln", "t"), split(Opcode.SYMLINK, 0, "6c 6e 00", "74 00"));
        assertEquals(new Request.Init(new InitIn(0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10, 0x11121314)),
                split(Opcode.INIT, 64, INIT_IN_64));
        assertEquals(new Request.Init(new InitIn(0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10, 0)),
                split(Opcode.INIT, 16, INIT_IN_16));
    }

    @Test
    void oneRequestBytes_reusedAcrossLayouts() throws BadRequest {
        RequestBytes in = new RequestBytes(MAX_STRING);
        assertRequest(SETXATTR, split(in, Opcode.SETXATTR, 8, SETXATTR_BODY));
        byte[] req = request(Opcode.LOOKUP, "6e 61 6d 65 00");
        in.contiguous(guarded(req.length + 8).put(0, req), req.length);
        assertEquals(new Request.Lookup("name"), Decoder.decode(in.header(), in));
        assertRequest(WRITE, split(in, Opcode.WRITE, Fuse.WRITE_IN_SIZE, WRITE_BODY));
        in.contiguous(guarded(req.length + 8).put(0, req), req.length);
        assertEquals(new Request.Lookup("name"), Decoder.decode(in.header(), in));
    }
}
