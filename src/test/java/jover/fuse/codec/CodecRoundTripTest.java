package jover.fuse.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jover.fuse.codec.WireReader.Dirent;
import jover.fuse.codec.WireReader.DirentPlus;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Round trips between jover's codec and test-only readers/writers that follow the offsets in
 * shared/fuse-protocol.md: headers, attributes, entries and streams of directory records with
 * random raw names (any byte but NUL and '/', 0x80-0xff included).
 */
class CodecRoundTripTest {

    /** A raw name: 1 to 255 chars, each a byte value 1-255 other than '/'. */
    static Gen<String> rawNames() {
        return RawNames.names(1, 255);
    }

    static Gen<Attr> attrs() {
        Gen<Long> l = longs().all();
        Gen<Integer> i = integers().all();
        Gen<long[]> six = l.zip(l, l, (a, b, c) -> new long[] {a, b, c})
                .zip(l.zip(l, l, (a, b, c) -> new long[] {a, b, c}), (x, y) -> new long[] {x[0], x[1], x[2], y[0], y[1], y[2]});
        Gen<int[]> five = i.zip(i, i, i, (a, b, c, d) -> new int[] {a, b, c, d})
                .zip(i, (x, e) -> new int[] {x[0], x[1], x[2], x[3], e});
        return six.zip(five, five, (ls, a, b) -> new Attr(ls[0], ls[1], ls[2], ls[3], ls[4], ls[5],
                a[0], a[1], a[2], a[3], a[4], b[0], b[1], b[2], b[3], b[4]));
    }

    static Gen<EntryOut> entries() {
        Gen<Long> l = longs().all();
        Gen<Integer> i = integers().all();
        return l.zip(l, l, l, (a, b, c, d) -> new long[] {a, b, c, d})
                .zip(i, i, attrs(), (ls, n1, n2, a) -> new EntryOut(ls[0], ls[1], ls[2], n1, ls[3], n2, a));
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void inHeader_decodesWhatWasWrittenAtTheDocumentedOffsets() {
        Gen<Long> l = longs().all();
        Gen<Integer> i = integers().all();
        Gen<InHeader> headers = i.zip(i, l, l, (len, op, unique, node) -> new long[] {len, op, unique, node})
                .zip(i, i, i, integers().between(0, 0xffff),
                        (x, uid, gid, pid, ext) -> new InHeader((int) x[0], (int) x[1], x[2], x[3], uid, gid, pid, ext));
        qt().forAll(headers).checkAssert(h -> {
            ByteBuffer b = buffer(40);
            b.putInt(0, h.len());
            b.putInt(4, h.opcode());
            b.putLong(8, h.unique());
            b.putLong(16, h.nodeid());
            b.putInt(24, h.uid());
            b.putInt(28, h.gid());
            b.putInt(32, h.pid());
            b.putShort(36, (short) h.totalExtlen());
            b.putShort(38, (short) 0x5a5a); // padding: must not leak into any field
            assertEquals(h, Decoder.header(b));
        });
    }

    @Test
    void outHeader_readsBackAtTheDocumentedOffsets() {
        qt().forAll(integers().all(), integers().between(-4095, 0), longs().all()).checkAssert((len, err, unique) -> {
            ByteBuffer b = buffer(16);
            assertEquals(16, Encoder.outHeader(b, 0, len, err, unique));
            assertEquals(len, b.getInt(0));
            assertEquals(err, b.getInt(4));
            assertEquals(unique, b.getLong(8));
        });
    }

    @Test
    void initIn_decodesWhatWasWritten() {
        Gen<Integer> i = integers().all();
        qt().forAll(i.zip(i, i, (a, b, c) -> new int[] {a, b, c}), i, i).checkAssert((abc, flags, flags2) -> {
            ByteBuffer b = buffer(40 + 64);
            b.putInt(40, abc[0]);
            b.putInt(44, abc[1]);
            b.putInt(48, abc[2]);
            b.putInt(52, flags);
            b.putInt(56, flags2);
            assertEquals(new InitIn(abc[0], abc[1], abc[2], flags, flags2), Decoder.initIn(b, 40));
        });
    }

    @Test
    void attrAndEntry_roundTrip() {
        qt().forAll(entries()).checkAssert(e -> {
            ByteBuffer b = buffer(256);
            assertEquals(3 + 128, Encoder.entryOut(b, 3, e));
            assertEquals(e, WireReader.entryOut(b, 3));
            assertEquals(e.attr(), WireReader.attr(b, 3 + 40));
            assertEquals(7 + 104, Encoder.attrOut(b, 7, e.attrValid(), e.attrValidNsec(), e.attr()));
            assertEquals(e.attrValid(), b.getLong(7));
            assertEquals(e.attrValidNsec(), b.getInt(7 + 8));
            assertEquals(0, b.getInt(7 + 12));
            assertEquals(e.attr(), WireReader.attr(b, 7 + 16));
        });
    }

    record Rec(String name, long ino, long off, int type) {
    }

    static Gen<Rec> recs() {
        return rawNames().zip(longs().all(), longs().all(), integers().between(0, 15), Rec::new);
    }

    @Test
    void direntStream_ofRandomRawNames_parsesBack() {
        qt().withExamples(300).forAll(lists().of(recs()).ofSizeBetween(0, 40)).checkAssert(recs -> {
            ByteBuffer b = buffer(40 * (24 + 256) + 8);
            int pos = 8;
            for (Rec r : recs) {
                int before = pos;
                pos = Encoder.dirent(b, pos, r.ino(), r.off(), r.type(), r.name());
                assertEquals(Encoder.direntSize(r.name().length()), pos - before);
                assertEquals(0, (pos - 8) % 8, "records keep 8-byte alignment");
            }
            List<Dirent> parsed = WireReader.dirents(b, 8, pos - 8);
            List<Dirent> expected = new ArrayList<>();
            for (Rec r : recs) {
                expected.add(new Dirent(r.ino(), r.off(), r.type(), r.name()));
            }
            assertEquals(expected, parsed);
        });
    }

    @Test
    void direntPlusStream_ofRandomRawNames_parsesBack() {
        Gen<Object[]> item = recs().zip(entries(), (r, e) -> new Object[] {r, e});
        qt().withExamples(200).forAll(lists().of(item).ofSizeBetween(0, 20)).checkAssert(items -> {
            ByteBuffer b = buffer(20 * (152 + 256) + 8);
            int pos = 0;
            for (Object[] it : items) {
                Rec r = (Rec) it[0];
                int before = pos;
                pos = Encoder.direntPlus(b, pos, (EntryOut) it[1], r.off(), r.type(), r.name());
                assertEquals(Encoder.direntPlusSize(r.name().length()), pos - before);
            }
            List<DirentPlus> parsed = WireReader.direntPlus(b, 0, pos);
            assertEquals(items.size(), parsed.size());
            for (int k = 0; k < items.size(); k++) {
                Rec r = (Rec) items.get(k)[0];
                EntryOut e = (EntryOut) items.get(k)[1];
                assertEquals(e, parsed.get(k).entry());
                // the dirent half carries the entry's st_ino
                assertEquals(new Dirent(e.attr().ino(), r.off(), r.type(), r.name()), parsed.get(k).dirent());
            }
        });
    }

    @Test
    void dirent_overwritesStaleBytesInPadding() {
        ByteBuffer b = buffer(64);
        for (int i = 0; i < 64; i++) {
            b.put(i, (byte) 0x77);
        }
        int end = Encoder.dirent(b, 0, 1, 2, 3, "x");
        assertEquals(32, end);
        assertEquals(List.of(new Dirent(1, 2, 3, "x")), WireReader.dirents(b, 0, end)); // checks padding is zero
    }
}
