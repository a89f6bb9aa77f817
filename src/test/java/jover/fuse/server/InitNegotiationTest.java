package jover.fuse.server;

import static jover.fuse.server.Wire.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.nio.ByteBuffer;
import java.util.List;
import jover.fuse.abi.Fuse;
import jover.fuse.abi.Opcode;
import jover.fuse.codec.InitIn;
import jover.fuse.codec.InitOut;
import jover.sys.Errno;
import org.junit.jupiter.api.Test;

/** INIT: what jover answers to what the kernel offers, through the worker and through {@link InitPolicy}. */
class InitNegotiationTest {
    /** What Linux 6.18 offers (shared/fuse-protocol.md). */
    static final int OFFERED = 0x73fffffb;
    static final int OFFERED2 = 0x5fd;
    static final int NEVER = Fuse.INIT_WRITEBACK_CACHE | Fuse.INIT_POSIX_LOCKS | Fuse.INIT_FLOCK_LOCKS;

    /** The fuse_init_out fields, read at the documented offsets. */
    record Out(int major, int minor, int maxReadahead, int flags, int maxBackground, int congestion,
               int maxWrite, int timeGran, int maxPages, int flags2, int maxStackDepth) {
        static Out parse(ByteBuffer b) {
            assertEquals(64, b.capacity(), "fuse_init_out is 64 bytes");
            return new Out(b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12), b.getShort(16) & 0xffff,
                    b.getShort(18) & 0xffff, b.getInt(20), b.getInt(24), b.getShort(28) & 0xffff, b.getInt(32),
                    b.getInt(36));
        }

        InitOut toInitOut() {
            return new InitOut(major, minor, maxReadahead, flags, maxBackground, congestion, maxWrite, timeGran,
                    maxPages, flags2, maxStackDepth);
        }
    }

    private static byte[] init(long unique, int major, int minor, int readahead, int flags, int flags2) {
        return request(Opcode.INIT, unique, 0, Wire.initIn(major, minor, readahead, flags, flags2));
    }

    @Test
    void worker_answersWhatThisKernelOffers() throws Exception {
        ServerHarness h = new ServerHarness(new FakeFs());
        Wire.Reply r = h.call(init(1, 7, 45, 0x20000, OFFERED, OFFERED2));
        assertEquals(0, r.error());
        assertEquals(1, r.unique());
        assertEquals(16 + 64, r.len());
        Out out = Out.parse(r.bodyBuffer());
        assertEquals(7, out.major());
        assertEquals(45, out.minor());
        assertEquals(0x20000, out.maxReadahead());
        assertEquals(0, out.flags() & ~OFFERED, "flags not offered: " + Integer.toHexString(out.flags()));
        assertEquals(0, out.flags() & NEVER, "WRITEBACK_CACHE / POSIX_LOCKS / FLOCK_LOCKS set");
        assertTrue((out.flags() & Fuse.INIT_INIT_EXT) != 0, "INIT_EXT offered but not in the reply");
        assertTrue((out.flags() & Fuse.INIT_MAX_PAGES) != 0, "MAX_PAGES offered but not in the reply");
        assertTrue((out.flags() & Fuse.INIT_DO_READDIRPLUS) != 0, "READDIRPLUS offered but not in the reply");
        assertEquals(InitPolicy.MAX_WRITE, out.maxWrite());
        assertEquals(InitPolicy.MAX_PAGES, out.maxPages());
        assertTrue(out.maxPages() * 4096L >= out.maxWrite(), "max_pages must allow a max_write request");
        assertTrue(h.server.isInitialized());
        assertEquals(out.toInitOut(), h.server.awaitInit(), "awaitInit returns what was sent");
        assertTrue(h.channel.smallestReadBuffer() >= 40 + 40 + out.maxWrite(),
                "a WRITE of max_write bytes must fit the read buffer");
        h.unmount();
    }

    @Test
    void worker_olderKernelMinor_isEchoed_newerIsCapped() {
        List<Wire.Reply> replies = new ServerHarness(new FakeFs()).serve(
                init(1, 7, 31, 0x20000, OFFERED, 0),
                init(2, 7, 50, 0x20000, OFFERED, 0));
        assertEquals(31, Out.parse(replies.get(0).bodyBuffer()).minor());
        assertEquals(45, Out.parse(replies.get(1).bodyBuffer()).minor());
    }

    @Test
    void worker_majorBelow7_isEinval_andNotInitialized() {
        ServerHarness h = new ServerHarness(new FakeFs());
        List<Wire.Reply> replies = h.serve(init(1, 6, 45, 0, OFFERED, 0));
        assertEquals(-Errno.EINVAL, replies.get(0).error());
        assertFalse(h.server.isInitialized());
    }

    @Test
    void worker_majorAbove7_isAnsweredWithOurMajorOnly() {
        ServerHarness h = new ServerHarness(new FakeFs());
        List<Wire.Reply> replies = h.serve(init(1, 8, 3, 0x20000, OFFERED, OFFERED2));
        Wire.Reply r = replies.get(0);
        assertEquals(0, r.error());
        Out out = Out.parse(r.bodyBuffer());
        assertEquals(7, out.major());
        assertEquals(0, out.flags(), "nothing is negotiated until the kernel sends INIT again at 7");
        assertEquals(0, out.maxWrite());
    }

    // ---- InitPolicy directly ----

    @Test
    void policy_flagsAreOnlyThoseOffered_minorIsTheSmaller_andNeverLocksOrWriteback() {
        qt().forAll(integers().all(), integers().between(0, 200), integers().all())
                .checkAssert((offered, minor, readahead) -> {
                    InitOut out = InitPolicy.reply(new InitIn(7, minor, readahead, offered, 0), 0, false);
                    assertNotNull(out);
                    assertEquals(7, out.major());
                    assertEquals(Math.min(minor, 45), out.minor());
                    assertEquals(0, out.flags() & ~offered, "not offered: " + Integer.toHexString(out.flags() & ~offered));
                    assertEquals(0, out.flags() & NEVER);
                    assertEquals((offered & Fuse.INIT_INIT_EXT) != 0, (out.flags() & Fuse.INIT_INIT_EXT) != 0,
                            "INIT_EXT in the reply exactly when offered");
                    assertEquals(InitPolicy.MAX_WRITE, out.maxWrite());
                    assertEquals(InitPolicy.MAX_PAGES, out.maxPages());
                    assertTrue(out.maxReadahead() == readahead, "max_readahead");
                });
    }

    @Test
    void policy_extraFlags_areAddedWhenOffered_butNeverBeyondTheOffer() {
        int offered = OFFERED;
        InitOut out = InitPolicy.reply(new InitIn(7, 45, 0, offered, 0),
                Fuse.INIT_AUTO_INVAL_DATA | Fuse.INIT_POSIX_ACL, false);
        assertTrue((out.flags() & Fuse.INIT_AUTO_INVAL_DATA) != 0);
        assertTrue((out.flags() & Fuse.INIT_POSIX_ACL) != 0);
        InitOut notOffered = InitPolicy.reply(new InitIn(7, 45, 0, offered & ~Fuse.INIT_POSIX_ACL, 0),
                Fuse.INIT_POSIX_ACL, false);
        assertEquals(0, notOffered.flags() & Fuse.INIT_POSIX_ACL);
    }

    @Test
    void policy_extraFlags_cannotTurnOnWritebackCacheOrLocks() {
        // WRITEBACK_CACHE rules out passthrough; lock requests have no handler (they would get ENOSYS).
        InitOut out = InitPolicy.reply(new InitIn(7, 45, 0, -1, -1), NEVER, false);
        assertEquals(0, out.flags() & NEVER, "flags " + Integer.toHexString(out.flags()));
    }

    @Test
    void policy_kernelOffersNothing_repliesNoFlags() {
        InitOut out = InitPolicy.reply(new InitIn(7, 45, 0, 0, 0), 0, false);
        assertEquals(0, out.flags());
        assertEquals(0, out.flags2());
    }

    @Test
    void policy_directIoAllowMmap_askedWheneverOffered_withInitExt() {
        int offered2 = Fuse.FLAGS2_DIRECT_IO_ALLOW_MMAP;
        InitOut out = InitPolicy.reply(new InitIn(7, 45, 0, OFFERED | Fuse.INIT_INIT_EXT, offered2), 0, false);
        assertEquals(Fuse.FLAGS2_DIRECT_IO_ALLOW_MMAP, out.flags2());
        assertEquals(0, out.maxStackDepth(), "no passthrough, no stacking");
        InitOut noExt = InitPolicy.reply(new InitIn(7, 45, 0, OFFERED & ~Fuse.INIT_INIT_EXT, offered2), 0, false);
        assertEquals(0, noExt.flags2(), "flags2 is read only with INIT_EXT");
    }

    @Test
    void policy_majorBelow7_isRefused() {
        assertNull(InitPolicy.reply(new InitIn(6, 45, 0, OFFERED, 0), 0, false));
        assertNull(InitPolicy.reply(new InitIn(0, 0, 0, 0, 0), 0, false));
    }

    @Test
    void policy_majorAbove7_givesOurVersionAndNothingElse() {
        InitOut out = InitPolicy.reply(new InitIn(9, 0, 0x20000, OFFERED, OFFERED2), 0, false);
        assertEquals(7, out.major());
        assertEquals(0, out.flags());
        assertEquals(0, out.flags2());
        assertEquals(0, out.maxWrite());
    }

    @Test
    void maxWriteAndPages_areConsistent() {
        assertEquals(1 << 20, InitPolicy.MAX_WRITE);
        assertEquals(256, InitPolicy.MAX_PAGES);
        assertTrue(InitPolicy.MAX_PAGES <= 0xffff, "max_pages is a u16");
    }

    @Test
    void policy_passthrough_onlyWithInitExtAndTheKernelsOffer_andStackDepthOne() {
        int offered2 = Fuse.FLAGS2_PASSTHROUGH;
        InitOut on = InitPolicy.reply(new InitIn(7, 45, 0, OFFERED | Fuse.INIT_INIT_EXT, offered2), 0, true);
        assertEquals(Fuse.FLAGS2_PASSTHROUGH, on.flags2() & Fuse.FLAGS2_PASSTHROUGH);
        assertTrue((on.flags() & Fuse.INIT_INIT_EXT) != 0, "flags2 is read only with INIT_EXT");
        assertEquals(1, on.maxStackDepth());
        assertEquals(0, on.flags() & Fuse.INIT_WRITEBACK_CACHE, "writeback cache rules passthrough out");
        InitOut notWanted = InitPolicy.reply(new InitIn(7, 45, 0, OFFERED | Fuse.INIT_INIT_EXT, offered2), 0, false);
        assertEquals(0, notWanted.flags2());
        assertEquals(0, notWanted.maxStackDepth());
        InitOut notOffered = InitPolicy.reply(new InitIn(7, 45, 0, OFFERED | Fuse.INIT_INIT_EXT, 0), 0, true);
        assertEquals(0, notOffered.flags2());
        InitOut noExt = InitPolicy.reply(new InitIn(7, 45, 0, OFFERED & ~Fuse.INIT_INIT_EXT, offered2), 0, true);
        assertEquals(0, noExt.flags2());
    }
}
