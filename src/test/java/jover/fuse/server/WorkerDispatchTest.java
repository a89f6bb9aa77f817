package jover.fuse.server;

import static jover.fuse.server.ServerHarness.replyTo;
import static jover.fuse.server.Wire.body;
import static jover.fuse.server.Wire.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jover.fuse.abi.Fuse;
import jover.fuse.abi.Opcode;
import jover.fuse.codec.WireReader;
import jover.fuse.transport.StreamTransport;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import org.junit.jupiter.api.Test;

/**
 * Dispatch through {@link Worker} with an in-memory channel and a recording filesystem: request
 * decoding, reply framing, errors, FORGET/INTERRUPT silence and worker shutdown.
 */
class WorkerDispatchTest {

    private static byte[] lookup(long unique, long parent, Wire nameBody) {
        return request(Opcode.LOOKUP, unique, parent, nameBody);
    }

    // ---- LOOKUP and names ----

    @Test
    void lookup_passesNameParentAndCaller_andRepliesWithEntryOut() {
        FakeFs fs = new FakeFs();
        List<Wire.Reply> replies = new ServerHarness(fs).serve(lookup(7, 1, body().cstr("hello")));
        assertEquals(List.of("lookup 1 hello"), fs.calls);
        assertEquals(new Caller(Wire.UID, Wire.GID, Wire.PID), fs.lastCaller);
        Wire.Reply r = replyTo(replies, 7);
        assertEquals(0, r.error());
        assertEquals(16 + 128, r.len());
        assertEquals(FakeFs.wireEntry(1001), WireReader.entryOut(r.bodyBuffer(), 0));
    }

    @Test
    void lookup_rawNonAsciiName_reachesFilesystemByteForByte() {
        FakeFs fs = new FakeFs();
        String raw = "\u00c3\u00a9\u0080\u00ff\u0001x";
        new ServerHarness(fs).serve(lookup(1, 1, body().cstr(raw)));
        assertEquals(List.of("lookup 1 " + raw), fs.calls);
    }

    @Test
    void lookup_nameEndsAtFirstNul() {
        FakeFs fs = new FakeFs();
        new ServerHarness(fs).serve(lookup(1, 1, body().cstr("abc").raw("junk").u8(0)));
        assertEquals(List.of("lookup 1 abc"), fs.calls);
    }

    @Test
    void lookup_invalidNames_areEinval_andNeverReachTheFilesystem() {
        FakeFs fs = new FakeFs();
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                lookup(1, 1, body().cstr("a/b")),
                lookup(2, 1, body().cstr("/")),
                lookup(3, 1, body().cstr(".")),
                lookup(4, 1, body().cstr("..")),
                lookup(5, 1, body().cstr("")),
                lookup(6, 1, body().raw("nonul")),                       // no terminating NUL
                lookup(7, 1, body()),                                    // no name at all
                request(40 + 3, Opcode.LOOKUP, 8, 1, body().cstr("abcdef").bytes()), // NUL past the header's len
                lookup(9, 1, body().cstr("...")));                       // "..." is an ordinary name
        for (long u = 1; u <= 8; u++) {
            assertEquals(-Errno.EINVAL, replyTo(replies, u).error(), "unique " + u);
        }
        assertEquals(0, replyTo(replies, 9).error());
        assertEquals(List.of("lookup 1 ..."), fs.calls);
    }

    // ---- errors ----

    @Test
    void unknownOpcodes_getEnosys() {
        FakeFs fs = new FakeFs();
        // FLUSH too: jover buffers nothing, and ENOSYS makes the kernel stop sending it (fc->no_flush)
        int[] unknown = {0, 7, 19, Opcode.FLUSH, Opcode.GETLK, Opcode.SETLK, Opcode.SETLKW, Opcode.BMAP, Opcode.IOCTL,
            Opcode.POLL, Opcode.LSEEK, 48, 49, Opcode.STATX, Opcode.LIMIT, 1000, -1};
        byte[][] reqs = new byte[unknown.length][];
        for (int i = 0; i < unknown.length; i++) {
            reqs[i] = request(unknown[i], 100 + i, 1, new byte[64]);
        }
        List<Wire.Reply> replies = new ServerHarness(fs).serve(reqs);
        for (int i = 0; i < unknown.length; i++) {
            assertEquals(-Errno.ENOSYS, replyTo(replies, 100 + i).error(), "opcode " + unknown[i]);
        }
        assertEquals(List.of(), fs.calls);
    }

    static final int[] CHANGING = {Opcode.SETATTR, Opcode.SYMLINK, Opcode.MKNOD, Opcode.MKDIR, Opcode.UNLINK,
        Opcode.RMDIR, Opcode.RENAME, Opcode.LINK, Opcode.WRITE, Opcode.SETXATTR, Opcode.REMOVEXATTR,
        Opcode.CREATE, Opcode.FALLOCATE, Opcode.RENAME2, Opcode.COPY_FILE_RANGE, Opcode.COPY_FILE_RANGE_64};
    /** Size of each changing opcode's fixed struct, before its names ("a", then "b"). */
    static final int[] CHANGING_STRUCT = {88, 0, 16, 8, 0, 0, 8, 8, 40, 8, 0, 16, 32, 16, 56, 56};

    /** Well-formed requests (a zeroed struct, then the names "a" and "b"): refused only by the filesystem. */
    private static List<Wire.Reply> sendChanging(FakeFs fs) {
        byte[][] reqs = new byte[CHANGING.length][];
        for (int i = 0; i < CHANGING.length; i++) {
            byte[] body = new byte[CHANGING_STRUCT[i] + 4];
            body[CHANGING_STRUCT[i]] = 'a';
            body[CHANGING_STRUCT[i] + 2] = 'b';
            reqs[i] = request(CHANGING[i], 200 + i, 1, body);
        }
        return new ServerHarness(fs).serve(reqs);
    }

    @Test
    void changingOpcodes_getErofsByDefault() {
        FakeFs fs = new FakeFs();
        List<Wire.Reply> replies = sendChanging(fs);
        for (int i = 0; i < CHANGING.length; i++) {
            assertEquals(-Errno.EROFS, replyTo(replies, 200 + i).error(), Opcode.name(CHANGING[i]));
        }
        assertEquals(List.of(), fs.calls);
    }

    @Test
    void changingOpcodes_getTheFilesystemsRefusal() {
        FakeFs fs = new FakeFs() {
            @Override
            public int changeRefused() {
                return Errno.EPERM;
            }
        };
        List<Wire.Reply> replies = sendChanging(fs);
        for (int i = 0; i < CHANGING.length; i++) {
            assertEquals(-Errno.EPERM, replyTo(replies, 200 + i).error(), Opcode.name(CHANGING[i]));
        }
    }

    @Test
    void errnoException_becomesNegativeErrno() {
        FakeFs fs = new FakeFs() {
            @Override
            public EntryReply lookup(Caller c, long parent, String name) throws ErrnoException {
                throw new ErrnoException(name.equals("gone") ? Errno.ENOENT : Errno.EACCES, "lookup", name);
            }
        };
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                lookup(31, 1, body().cstr("gone")), lookup(32, 1, body().cstr("secret")));
        assertEquals(-Errno.ENOENT, replyTo(replies, 31).error());
        assertEquals(-Errno.EACCES, replyTo(replies, 32).error());
    }

    @Test
    void runtimeException_becomesEio_isLogged_andTheWorkerGoesOn() {
        FakeFs fs = new FakeFs() {
            @Override
            public Attributes getattr(Caller c, long nodeid, long fh) {
                if (nodeid == 13) {
                    throw new IllegalStateException("bug in the filesystem");
                }
                return attr(nodeid);
            }
        };
        ServerHarness h = new ServerHarness(fs);
        List<Wire.Reply> replies = h.serve(
                request(Opcode.GETATTR, 41, 13, body().u32(0).u32(0).u64(0)),
                request(Opcode.GETATTR, 42, 14, body().u32(0).u32(0).u64(0)));
        assertEquals(-Errno.EIO, replyTo(replies, 41).error());
        assertEquals(0, replyTo(replies, 42).error());
        assertTrue(h.log().contains("bug in the filesystem"), h.log());
    }

    // ---- replies: framing ----

    @Test
    void everyReply_carriesItsRequestsUnique_inOrder_withLenEqualToBytesWritten() {
        FakeFs fs = new FakeFs();
        long[] uniques = {0x1122334455667788L, 2, Long.MAX_VALUE, -2L, 9};
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                lookup(uniques[0], 1, body().cstr("a")),
                request(Opcode.GETATTR, uniques[1], 1, body().u32(0).u32(0).u64(0)),
                request(Opcode.MKDIR, uniques[2], 1, body().u32(0755).u32(022).cstr("d")),
                request(Opcode.STATFS, uniques[3], 1),
                request(Opcode.FORGET, 55, 1000, body().u64(1)),
                request(Opcode.ACCESS, uniques[4], 1, body().u32(4).u32(0)));
        assertEquals(uniques.length, replies.size(), replies::toString);
        int[] bodyLens = {128, 104, 0, 80, 0};
        for (int i = 0; i < uniques.length; i++) {
            assertEquals(uniques[i], replies.get(i).unique());
            assertEquals(16 + bodyLens[i], replies.get(i).len(), "reply " + i);
        }
    }

    // ---- FORGET, BATCH_FORGET, INTERRUPT: no reply ----

    @Test
    void forget_reachesFilesystem_withoutReply() {
        FakeFs fs = new FakeFs();
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                request(Opcode.FORGET, 50, 1234, body().u64(3)),
                request(Opcode.FORGET, 51, 0x0102030405060708L, body().u64(0x1112131415161718L)),
                request(Opcode.STATFS, 52, 1));
        assertEquals(List.of("forget 1234 3", "forget " + 0x0102030405060708L + " " + 0x1112131415161718L,
                "statfs 1"), fs.calls);
        assertEquals(1, replies.size(), replies::toString);
        assertEquals(52, replies.get(0).unique());
    }

    @Test
    void batchForget_reachesFilesystemOncePerEntry_withoutReply() {
        FakeFs fs = new FakeFs();
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                request(Opcode.BATCH_FORGET, 60, 0, body()
                        .u32(3).u32(0)                  // fuse_batch_forget_in: count 3, dummy
                        .u64(10).u64(1)                 // fuse_forget_one: nodeid 10, nlookup 1
                        .u64(11).u64(22)
                        .u64(0x0102030405060708L).u64(0x7fffffffffffffffL)),
                request(Opcode.BATCH_FORGET, 61, 0, body().u32(0).u32(0)),
                request(Opcode.STATFS, 62, 1));
        assertEquals(List.of("forget 10 1", "forget 11 22",
                "forget " + 0x0102030405060708L + " " + 0x7fffffffffffffffL, "statfs 1"), fs.calls);
        assertEquals(1, replies.size(), replies::toString);
    }

    @Test
    void batchForget_countLargerThanTheRequest_onlyForgetsEntriesPresent() {
        FakeFs fs = new FakeFs();
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                request(Opcode.BATCH_FORGET, 60, 0, body().u32(5).u32(0).u64(10).u64(1).u64(11).u64(2)));
        assertEquals(List.of("forget 10 1", "forget 11 2"), fs.calls);
        assertEquals(List.of(), replies);
    }

    @Test
    void forget_throwingRuntimeException_doesNotKillTheWorker() {
        // FORGET has no reply to carry an EIO, but the worker must survive and serve the next request
        FakeFs fs = new FakeFs() {
            @Override
            public void forget(long nodeid, long nlookup) {
                throw new IllegalStateException("forget failed");
            }
        };
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                request(Opcode.FORGET, 1, 5, body().u64(1)),
                request(Opcode.BATCH_FORGET, 2, 0, body().u32(1).u32(0).u64(5).u64(1)),
                request(Opcode.STATFS, 3, 1));
        assertEquals(1, replies.size(), replies::toString);
        assertEquals(3, replies.get(0).unique());
    }

    @Test
    void interrupt_getsNoReply() {
        FakeFs fs = new FakeFs();
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                request(Opcode.INTERRUPT, 71, 0, body().u64(70)),
                request(Opcode.STATFS, 72, 1));
        assertEquals(1, replies.size(), replies::toString);
        assertEquals(72, replies.get(0).unique());
    }

    @Test
    void interrupt_marksTheRequestBeingServedOnAnotherWorker() throws Exception {
        CountDownLatch inRead = new CountDownLatch(1);
        FakeFs fs = new FakeFs() {
            @Override
            public int read(Caller c, long nodeid, long fh, long offset, int size, ByteBuffer dst)
                    throws ErrnoException {
                inRead.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < deadline) {
                    if (InFlight.isInterrupted()) {
                        throw new ErrnoException(Errno.EINTR, "read", "interrupted");
                    }
                    Thread.onSpinWait();
                }
                return 0;
            }
        };
        FuseServer server = new FuseServer(fs, 2, false, System.err);
        MemoryChannel a = new MemoryChannel();
        MemoryChannel b = new MemoryChannel();
        server.startWorker(new StreamTransport(a, InitPolicy.MAX_WRITE));
        server.startWorker(new StreamTransport(b, InitPolicy.MAX_WRITE));
        a.send(request(Opcode.READ, 80, 5, Wire.readIn(3, 0, 4096)));
        assertTrue(inRead.await(5, TimeUnit.SECONDS));
        assertEquals(1, server.inFlight());
        b.send(request(Opcode.INTERRUPT, 81, 0, body().u64(80)));
        Wire.Reply r = a.nextReply();
        assertEquals(80, r.unique());
        assertEquals(-Errno.EINTR, r.error());
        a.unmount();
        b.unmount();
        assertNull(assertTimeoutPreemptively(ServerHarness.TIMEOUT, server::awaitExit));
        assertEquals(List.of(), b.replies(), "INTERRUPT itself is never answered");
        assertEquals(0, server.inFlight());
    }

    // ---- worker lifetime ----

    @Test
    void worker_stopsOnEnodev_andAwaitExitReturnsNull() {
        ServerHarness h = new ServerHarness(new FakeFs());
        assertEquals(List.of(), h.serve());
        assertEquals(1, h.channel.reads());
    }

    @Test
    void worker_retriesReadAfterEintrEagainEnoent() {
        ServerHarness h = new ServerHarness(new FakeFs());
        h.channel.fail(Errno.EINTR).fail(Errno.EAGAIN).fail(Errno.ENOENT);
        List<Wire.Reply> replies = h.serve(request(Opcode.STATFS, 5, 1));
        assertEquals(1, replies.size());
    }

    @Test
    void worker_stopsOnOtherReadErrors_andAwaitExitReportsIt() {
        FakeFs fs = new FakeFs();
        FuseServer server = new FuseServer(fs, 1, false, new java.io.PrintStream(new java.io.ByteArrayOutputStream()));
        MemoryChannel ch = new MemoryChannel().fail(Errno.EIO).send(request(Opcode.STATFS, 5, 1));
        server.startWorker(new StreamTransport(ch, InitPolicy.MAX_WRITE));
        ErrnoException e = assertTimeoutPreemptively(ServerHarness.TIMEOUT, server::awaitExit);
        assertEquals(Errno.EIO, e.errno());
        assertEquals(List.of(), ch.replies(), "nothing is read after the failure");
    }

    @Test
    void shortRequests_areIgnored() {
        FakeFs fs = new FakeFs();
        byte[] full = request(Opcode.STATFS, 9, 1);
        byte[] shortReq = java.util.Arrays.copyOf(full, 39);
        List<Wire.Reply> replies = new ServerHarness(fs).serve(shortReq, new byte[0], full);
        assertEquals(1, replies.size());
        assertEquals(9, replies.get(0).unique());
    }

    @Test
    void awaitInit_returnsWhenTheWorkerStopsBeforeInit() {
        // The mount went away (ENODEV) before INIT: FuseMount.mount waits in awaitInit and must not hang.
        FuseServer server = new FuseServer(new FakeFs(), 1, false, System.err);
        server.startWorker(new StreamTransport(new MemoryChannel().unmount(), InitPolicy.MAX_WRITE));
        assertNull(assertTimeoutPreemptively(ServerHarness.TIMEOUT, server::awaitExit));
        assertNull(assertTimeoutPreemptively(java.time.Duration.ofSeconds(2), server::awaitInit,
                "awaitInit blocks forever after every worker stopped without INIT"));
    }

    @Test
    void readBuffer_isAtLeastTheKernelMinimumAndFitsTheLargestWrite() {
        ServerHarness h = new ServerHarness(new FakeFs());
        h.serve();
        assertTrue(h.channel.smallestReadBuffer() >= 8192);
        assertTrue(h.channel.smallestReadBuffer() >= 40 + 40 + InitPolicy.MAX_WRITE,
                "read buffer " + h.channel.smallestReadBuffer());
    }

    // ---- other operations: argument decoding and reply bodies ----

    @Test
    void getattr_passesFhOnlyWithGetattrFh_andRepliesAttrOut() {
        FakeFs fs = new FakeFs();
        fs.timeout = 1.5;
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                request(Opcode.GETATTR, 1, 5, body().u32(Fuse.GETATTR_FH).u32(0).u64(99)),
                request(Opcode.GETATTR, 2, 6, body().u32(0).u32(0).u64(99)));
        assertEquals(List.of("getattr 5 99", "getattr 6 -1"), fs.calls);
        ByteBuffer b = replyTo(replies, 1).bodyBuffer();
        assertEquals(104, b.capacity());
        assertEquals(1, b.getLong(0), "attr_valid seconds");
        assertEquals(500_000_000, b.getInt(8), "attr_valid_nsec");
        assertEquals(FakeFs.wireAttr(5), WireReader.attr(b, 16));
    }

    @Test
    void openAndOpendir_replyOpenOut() {
        FakeFs fs = new FakeFs() {
            @Override
            public OpenReply open(Caller c, long nodeid, int flags) {
                calls.add("open " + nodeid + " " + flags);
                return OpenReply.passthrough(0x0102030405060708L, 9);
            }
        };
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                request(Opcode.OPEN, 1, 5, body().u32(0100000).u32(0)),
                request(Opcode.OPENDIR, 2, 6, body().u32(0200000).u32(0)));
        assertEquals(List.of("open 5 32768", "opendir 6 65536"), fs.calls);
        ByteBuffer o = replyTo(replies, 1).bodyBuffer();
        assertEquals(16, o.capacity());
        assertEquals(0x0102030405060708L, o.getLong(0));
        assertEquals(Fuse.FOPEN_PASSTHROUGH, o.getInt(8));
        assertEquals(9, o.getInt(12));
        assertEquals(88, replyTo(replies, 2).bodyBuffer().getLong(0));
    }

    @Test
    void read_passesFhOffsetSize_andRepliesWithTheBytesRead() {
        FakeFs fs = new FakeFs() {
            @Override
            public int read(Caller c, long nodeid, long fh, long offset, int size, ByteBuffer dst) {
                calls.add("read " + nodeid + " " + fh + " " + offset + " " + size);
                dst.put(0, (byte) 'h').put(1, (byte) 'i').put(2, (byte) 0xff);
                return 3;
            }
        };
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                request(Opcode.READ, 1, 5, Wire.readIn(7, 0x100000000L, 4096)));
        assertEquals(List.of("read 5 7 4294967296 4096"), fs.calls);
        assertArrayEquals(new byte[] {'h', 'i', (byte) 0xff}, replyTo(replies, 1).body());
    }

    @Test
    void statfs_repliesKstatfs() {
        List<Wire.Reply> replies = new ServerHarness(new FakeFs()).serve(request(Opcode.STATFS, 1, 1));
        ByteBuffer b = replyTo(replies, 1).bodyBuffer();
        assertEquals(80, b.capacity());
        // FakeFs: StatFs(type, blocks=1, bfree=2, bavail=3, files=4, ffree=5, bsize=6, namelen=7, frsize=8)
        assertEquals(1, b.getLong(0));
        assertEquals(2, b.getLong(8));
        assertEquals(3, b.getLong(16));
        assertEquals(4, b.getLong(24));
        assertEquals(5, b.getLong(32));
        assertEquals(6, b.getInt(40));
        assertEquals(7, b.getInt(44));
        assertEquals(8, b.getInt(48));
    }

    @Test
    void getxattr_sizeQuery_value_erange_andMissing() {
        FakeFs fs = new FakeFs() {
            @Override
            public byte[] getxattr(Caller c, long nodeid, String name) throws ErrnoException {
                calls.add("getxattr " + nodeid + " " + name);
                if (!name.equals("user.k\u00e9")) {
                    throw new ErrnoException(Errno.ENODATA, "getxattr", name);
                }
                return new byte[] {1, 2, 3, 4, 5};
            }
        };
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                request(Opcode.GETXATTR, 1, 5, body().u32(0).u32(0).cstr("user.k\u00e9")),
                request(Opcode.GETXATTR, 2, 5, body().u32(5).u32(0).cstr("user.k\u00e9")),
                request(Opcode.GETXATTR, 3, 5, body().u32(4).u32(0).cstr("user.k\u00e9")),
                request(Opcode.GETXATTR, 4, 5, body().u32(64).u32(0).cstr("user.none")),
                request(Opcode.GETXATTR, 5, 5, body().u32(64).u32(0).raw("user.nonul")));
        Wire.Reply size = replyTo(replies, 1);
        assertEquals(8, size.body().length, "fuse_getxattr_out");
        assertEquals(5, size.bodyBuffer().getInt(0));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, replyTo(replies, 2).body());
        assertEquals(-Errno.ERANGE, replyTo(replies, 3).error());
        assertEquals(-Errno.ENODATA, replyTo(replies, 4).error());
        assertEquals(-Errno.EINVAL, replyTo(replies, 5).error());
    }

    @Test
    void listxattr_joinsRawNamesWithNuls() {
        FakeFs fs = new FakeFs() {
            @Override
            public List<String> listxattr(Caller c, long nodeid) {
                return List.of("user.a", "user.\u00ff");
            }
        };
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                request(Opcode.LISTXATTR, 1, 5, body().u32(0).u32(0)),
                request(Opcode.LISTXATTR, 2, 5, body().u32(100).u32(0)),
                request(Opcode.LISTXATTR, 3, 5, body().u32(3).u32(0)));
        byte[] expected = body().cstr("user.a").cstr("user.\u00ff").bytes();
        assertEquals(expected.length, replyTo(replies, 1).bodyBuffer().getInt(0));
        assertArrayEquals(expected, replyTo(replies, 2).body());
        assertEquals(-Errno.ERANGE, replyTo(replies, 3).error());
    }

    @Test
    void readlink_repliesRawBytesWithoutNul() {
        FakeFs fs = new FakeFs() {
            @Override
            public String readlink(Caller c, long nodeid) {
                return "../t\u00c3\u00a9\u00ff";
            }
        };
        List<Wire.Reply> replies = new ServerHarness(fs).serve(request(Opcode.READLINK, 1, 5));
        assertArrayEquals(body().raw("../t\u00c3\u00a9\u00ff").bytes(), replyTo(replies, 1).body());
    }

    @Test
    void handleOperations_passTheirArguments() {
        FakeFs fs = new FakeFs() {
            @Override
            public void fsync(Caller c, long nodeid, long fh, boolean datasync) {
                calls.add("fsync " + nodeid + " " + fh + " " + datasync);
            }

            @Override
            public void fsyncdir(Caller c, long nodeid, long fh, boolean datasync) {
                calls.add("fsyncdir " + nodeid + " " + fh + " " + datasync);
            }
        };
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                request(Opcode.RELEASE, 2, 5, body().u64(12).u32(0).u32(0).u64(0)),
                request(Opcode.RELEASEDIR, 3, 6, body().u64(13).u32(0).u32(0).u64(0)),
                request(Opcode.FSYNC, 4, 5, body().u64(14).u32(1).u32(0)),
                request(Opcode.FSYNCDIR, 5, 6, body().u64(15).u32(0).u32(0)),
                request(Opcode.ACCESS, 6, 5, body().u32(6).u32(0)),
                request(Opcode.SYNCFS, 7, 1, body().u64(0)),
                request(Opcode.DESTROY, 8, 1));
        assertEquals(List.of("release 5 12", "releasedir 6 13", "fsync 5 14 true",
                "fsyncdir 6 15 false", "access 5 6"), fs.calls);
        assertEquals(7, replies.size());
        for (Wire.Reply r : replies) {
            assertEquals(0, r.error(), r::toString);
            assertEquals(16, r.len(), r::toString);
        }
    }

    @Test
    void requestsAfterAnErrorAreServedNormally() {
        // the reply buffer is shared between requests: an error reply must not leave a stale length behind
        FakeFs fs = new FakeFs();
        List<Wire.Reply> replies = new ServerHarness(fs).serve(
                lookup(1, 1, body().cstr("a")),
                lookup(2, 1, body().cstr("..")),
                request(Opcode.STATFS, 3, 1));
        List<Integer> lens = new ArrayList<>();
        replies.forEach(r -> lens.add(r.len()));
        assertEquals(List.of(16 + 128, 16, 16 + 80), lens);
    }
}
