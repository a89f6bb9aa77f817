package jover.fuse.server;

import static jover.fuse.server.Wire.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jover.fuse.abi.Opcode;
import jover.fuse.codec.RawNames;
import jover.fuse.codec.WireReader;
import jover.fuse.codec.WireReader.Dirent;
import jover.fuse.codec.WireReader.DirentPlus;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** READDIR and READDIRPLUS packing: the kernel's size is respected, offsets continue, plus entries only when they fit. */
class ReaddirPackingTest {

    /** Names of varied lengths, some with raw bytes above 0x7f. */
    static List<String> names(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String base = (i % 3 == 0 ? "\u00e9\u00ff" : "f") + i;
            names.add(base + "x".repeat(i % 13));
        }
        return names;
    }

    /** A directory of {@code names}; cookie i+1 follows entry i. Counts the plus entries it "looked up". */
    static class DirFs extends FakeFs {
        final List<String> names;
        final AtomicInteger plusLookups = new AtomicInteger();

        DirFs(List<String> names) {
            this.names = names;
        }

        @Override
        public void readdir(Caller c, long nodeid, long fh, long offset, DirSink sink) {
            for (int i = (int) offset; i < names.size(); i++) {
                String n = names.get(i);
                if (sink.plus()) {
                    if (!sink.fits(n)) {
                        return;
                    }
                    plusLookups.incrementAndGet(); // the lookup a real filesystem would count
                    if (!sink.addPlus(n, entry(5000 + i), 8, i + 1)) {
                        throw new AssertionError("fits() said yes, addPlus() refused " + n);
                    }
                } else if (!sink.add(n, 100 + i, 8, i + 1)) {
                    return;
                }
            }
        }
    }

    private static int direntSize(String name) {
        int n = 24 + name.length();
        return (n + 7) / 8 * 8;
    }

    private static int direntPlusSize(String name) {
        int n = 152 + name.length();
        return (n + 7) / 8 * 8;
    }

    @Test
    void readdir_likeTheKernel_sizesRespected_offsetsContinue_allNamesOnce() throws Exception {
        List<String> names = names(100);
        DirFs fs = new DirFs(names);
        ServerHarness h = new ServerHarness(fs);
        int size = 300;
        long offset = 0;
        long unique = 1;
        List<String> seen = new ArrayList<>();
        int calls = 0;
        while (true) {
            Wire.Reply r = h.call(request(Opcode.READDIR, unique++, 5, Wire.readIn(9, offset, size)));
            assertEquals(0, r.error());
            assertTrue(r.body().length <= size, "body " + r.body().length + " > requested " + size);
            List<Dirent> ds = WireReader.dirents(r.bodyBuffer(), 0, r.body().length);
            if (ds.isEmpty()) {
                break;
            }
            calls++;
            for (Dirent d : ds) {
                int i = seen.size();
                assertEquals(names.get(i), d.name());
                assertEquals(100 + i, d.ino());
                assertEquals(i + 1, d.off());
                assertEquals(8, d.type());
                seen.add(d.name());
            }
            if (seen.size() < names.size()) {
                // packing stopped only because the next record would not fit
                assertTrue(r.body().length + direntSize(names.get(seen.size())) > size,
                        "stopped early at " + r.body().length + " of " + size);
            }
            offset = ds.get(ds.size() - 1).off();
        }
        assertEquals(names, seen);
        assertTrue(calls > 5, "the test should need several READDIRs");
        h.unmount();
    }

    @Test
    void readdirplus_likeTheKernel_onlyFittingEntries_eachCountedOnce() throws Exception {
        List<String> names = names(40);
        DirFs fs = new DirFs(names);
        ServerHarness h = new ServerHarness(fs);
        int size = 1000;
        long offset = 0;
        long unique = 1;
        List<String> seen = new ArrayList<>();
        while (true) {
            Wire.Reply r = h.call(request(Opcode.READDIRPLUS, unique++, 5, Wire.readIn(9, offset, size)));
            assertEquals(0, r.error());
            assertTrue(r.body().length <= size);
            List<DirentPlus> ds = WireReader.direntPlus(r.bodyBuffer(), 0, r.body().length);
            if (ds.isEmpty()) {
                break;
            }
            for (DirentPlus d : ds) {
                int i = seen.size();
                assertEquals(names.get(i), d.dirent().name());
                assertEquals(FakeFs.wireEntry(5000 + i), d.entry());
                assertEquals(d.entry().attr().ino(), d.dirent().ino());
                assertEquals(i + 1, d.dirent().off());
                seen.add(d.dirent().name());
            }
            if (seen.size() < names.size()) {
                assertTrue(r.body().length + direntPlusSize(names.get(seen.size())) > size);
            }
            offset = ds.get(ds.size() - 1).dirent().off();
        }
        assertEquals(names, seen);
        assertEquals(names.size(), fs.plusLookups.get(), "every looked-up entry reached the kernel exactly once");
        h.unmount();
    }

    @Test
    void readdir_reachesFilesystemWithFhOffsetAndPlus() {
        FakeFs fs = new FakeFs();
        new ServerHarness(fs).serve(
                request(Opcode.READDIR, 1, 5, Wire.readIn(0x0102030405060708L, 0x1112131415161718L, 4096)),
                request(Opcode.READDIRPLUS, 2, 6, Wire.readIn(3, 4, 4096)));
        assertEquals(List.of("readdir 5 " + 0x0102030405060708L + " " + 0x1112131415161718L + " false",
                "readdir 6 3 4 true"), fs.calls);
    }

    @Test
    void readdirplus_greedyFilesystem_getsFalseOnceFull_andNothingPartialIsSent() throws Exception {
        List<Boolean> results = new ArrayList<>();
        FakeFs fs = new FakeFs() {
            @Override
            public void readdir(Caller c, long nodeid, long fh, long offset, DirSink sink) {
                for (int i = 0; i < 10; i++) {
                    results.add(sink.addPlus("name" + i, entry(i + 1), 8, i + 1)); // ignores fits()
                }
            }
        };
        ServerHarness h = new ServerHarness(fs);
        // 160 bytes per record: 3 fit in 500
        Wire.Reply r = h.call(request(Opcode.READDIRPLUS, 1, 5, Wire.readIn(1, 0, 500)));
        assertEquals(List.of(true, true, true, false, false, false, false, false, false, false), results);
        assertEquals(480, r.body().length);
        assertEquals(3, WireReader.direntPlus(r.bodyBuffer(), 0, r.body().length).size());
        h.unmount();
    }

    @Test
    void readdir_sizeSmallerThanOneRecord_givesEmptyReply() throws Exception {
        ServerHarness h = new ServerHarness(new DirFs(names(3)));
        Wire.Reply r = h.call(request(Opcode.READDIR, 1, 5, Wire.readIn(1, 0, 31)));
        assertEquals(0, r.error());
        assertEquals(16, r.len());
        h.unmount();
    }

    @Test
    void readdirplus_afterAShortRead_onTheSameWorker_usesTheWholeReplyBuffer() throws Exception {
        // A READ limits the reply body to the data it read; the next request must not inherit the limit.
        DirFs fs = new DirFs(names(200)) {
            @Override
            public int read(Caller c, long nodeid, long fh, long offset, int size, ByteBuffer dst) {
                dst.put(0, (byte) 'x');
                return 1;
            }
        };
        ServerHarness h = new ServerHarness(fs);
        Wire.Reply read = h.call(request(Opcode.READ, 1, 5, Wire.readIn(3, 0, 16)));
        assertEquals(17, read.len());
        Wire.Reply r = h.call(request(Opcode.READDIRPLUS, 2, 5, Wire.readIn(9, 0, 32768)));
        assertEquals(0, r.error(), "a READDIRPLUS after a READ of 16 bytes");
        assertTrue(WireReader.direntPlus(r.bodyBuffer(), 0, r.body().length).size() > 100);
        h.unmount();
    }

    // ---- PackingDirSink directly ----

    private static ByteBuffer out() {
        return ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The reply body of {@code out}: after a 16-byte out header, as a transport gives it. */
    private static ByteBuffer body(ByteBuffer out) {
        return out.slice(16, out.capacity() - 16).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static PackingDirSink sink() {
        return new PackingDirSink(new Replies(1.5));
    }

    @Test
    void sink_fitsAgreesWithAdd_andNeverExceedsTheLimit() {
        Gen<String> name = RawNames.names(1, 60);
        qt().forAll(lists().of(name).ofSizeBetween(0, 30), integers().between(0, 3000), Generate.booleans())
                .checkAssert((ns, size, plus) -> {
                    ByteBuffer b = out();
                    PackingDirSink sink = sink();
                    sink.reset(body(b), size, plus);
                    assertEquals(plus, sink.plus());
                    List<String> added = new ArrayList<>();
                    for (String n : ns) {
                        int before = sink.length();
                        boolean fits = sink.fits(n);
                        boolean ok = plus ? sink.addPlus(n, FakeFs.entry(7), 8, 1) : sink.add(n, 7, 8, 1);
                        assertEquals(fits, ok, "fits() and add() disagree for a name of " + n.length());
                        int rec = plus ? direntPlusSize(n) : direntSize(n);
                        assertEquals(ok ? before + rec : before, sink.length());
                        assertEquals(before + rec <= size, ok, "a record that fits must be taken");
                        assertTrue(sink.length() <= size);
                        if (ok) {
                            added.add(n);
                        }
                    }
                    List<String> parsed = new ArrayList<>();
                    if (plus) {
                        WireReader.direntPlus(b, 16, sink.length()).forEach(d -> parsed.add(d.dirent().name()));
                    } else {
                        WireReader.dirents(b, 16, sink.length()).forEach(d -> parsed.add(d.name()));
                    }
                    assertEquals(added, parsed);
                });
    }

    @Test
    void sink_resetStartsOver() {
        ByteBuffer b = out();
        PackingDirSink sink = sink();
        sink.reset(body(b), 4096, false);
        assertTrue(sink.add("a", 1, 8, 1));
        assertEquals(32, sink.length());
        sink.reset(body(b), 4096, true);
        assertEquals(0, sink.length());
        assertTrue(sink.addPlus("b", FakeFs.entry(2), 8, 1));
        assertEquals(160, sink.length());
        List<DirentPlus> ds = WireReader.direntPlus(b, 16, 160);
        assertEquals("b", ds.get(0).dirent().name());
    }

    @Test
    void sink_wrongKindOfAdd_isRefused() {
        ByteBuffer b = out();
        PackingDirSink sink = sink();
        sink.reset(body(b), 4096, true);
        assertThrows(IllegalStateException.class, () -> sink.add("a", 1, 8, 1));
        sink.reset(body(b), 4096, false);
        EntryReply e = FakeFs.entry(1);
        assertThrows(IllegalStateException.class, () -> sink.addPlus("a", e, 8, 1));
        assertEquals(0, sink.length());
    }

    @Test
    void sink_exactFit_isAccepted_oneByteLess_isNot() {
        ByteBuffer b = out();
        PackingDirSink sink = sink();
        sink.reset(body(b), 64, false);
        assertTrue(sink.add("12345678", 1, 8, 1)); // 32
        assertTrue(sink.add("abcdefgh", 2, 8, 2)); // 64: exactly full
        assertFalse(sink.fits("x"));
        sink.reset(body(b), 63, false);
        assertTrue(sink.add("12345678", 1, 8, 1));
        assertFalse(sink.add("abcdefgh", 2, 8, 2));
        assertEquals(32, sink.length());
    }
}
