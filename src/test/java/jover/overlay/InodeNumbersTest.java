package jover.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** st_ino mapping: real numbers kept on one filesystem, disjoint ranges for several, a reserved fallback range. */
class InodeNumbersTest {

    @Test
    void singleFilesystem_keepsRealNumbers() {
        InodeNumbers n = new InodeNumbers(new long[] {0x801, 0x801, 0x801}); // three layers, one fs
        for (long ino : new long[] {0, 1, 2, 12345, 1L << 40, 1L << 62, Long.MAX_VALUE}) {
            assertEquals(ino, n.map(0x801, ino));
        }
    }

    @Test
    void singleFilesystem_property_keepsEveryNumberBelowTheTopBit() {
        qt().forAll(longs().between(0, Long.MAX_VALUE), longs().all()).checkAssert((ino, dev) -> {
            InodeNumbers n = new InodeNumbers(new long[] {dev});
            assertEquals(ino.longValue(), n.map(dev, ino));
        });
    }

    @Test
    void singleFilesystem_numberWithTopBitSet_goesToTheReservedRange() {
        InodeNumbers n = new InodeNumbers(new long[] {7});
        long big = 0x8000000000000005L;
        long mapped = n.map(7, big);
        // one filesystem: index 0 is the top bit clear, the reserved index is the top bit set
        assertEquals(1L, mapped >>> 63, "reserved range: 0x" + Long.toHexString(mapped));
        assertEquals(mapped, n.map(7, big), "stable");
        long other = n.map(7, 0x8000000000000006L);
        assertEquals(1L, other >>> 63);
        assertNotEquals(mapped, other);
    }

    @Test
    void twoFilesystems_sameInoGiveDifferentNumbers_lowBitsKept() {
        InodeNumbers n = new InodeNumbers(new long[] {100, 200, 100});
        long a = n.map(100, 42);
        long b = n.map(200, 42);
        assertNotEquals(a, b);
        assertEquals(42, a & 0xffffffffL);
        assertEquals(42, b & 0xffffffffL);
        assertNotEquals(3L, a >>> 62, "a real number is not in the reserved range");
        assertNotEquals(3L, b >>> 62, "a real number is not in the reserved range");
    }

    @Test
    void twoFilesystems_topBitsAlreadyUsed_fallBackWithoutColliding() {
        InodeNumbers n = new InodeNumbers(new long[] {100, 200});
        // With two filesystems the top two bits hold the index: 00 and 01 for the layers, 11 reserved.
        long direct = n.map(200, 5);                   // index 1 | 5
        long clash = n.map(100, (1L << 62) | 5);       // would be index 1 | 5 if simply or-ed
        assertNotEquals(direct, clash);
        assertEquals(3L, clash >>> 62, "fallback in the reserved (highest) index: 0x" + Long.toHexString(clash));
        long clash2 = n.map(200, 0xC000000000000001L);
        assertEquals(3L, clash2 >>> 62);
        assertNotEquals(clash, clash2);
        assertEquals(clash, n.map(100, (1L << 62) | 5), "stable");
    }

    @Test
    void unknownDevice_getsAStableFallbackNumber() {
        InodeNumbers n = new InodeNumbers(new long[] {100, 200});
        long sub = n.map(999, 5);
        assertEquals(3L, sub >>> 62);
        assertEquals(sub, n.map(999, 5));
        assertNotEquals(sub, n.map(998, 5));
        assertNotEquals(sub, n.map(999, 6));
    }

    /** Distinct devices and (device index, ino) pairs; index == devs.length means a device not among the layers. */
    record Case(long[] devs, List<long[]> pairs) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("devs=" + Arrays.toString(devs) + " pairs=");
            for (long[] p : pairs) {
                sb.append("(").append(p[0]).append(",0x").append(Long.toHexString(p[1])).append(")");
            }
            return sb.toString();
        }
    }

    /** Small numbers, numbers with one of the top bits set, negative ones, anything. */
    static Gen<Long> inos() {
        Gen<Long> small = longs().between(0, 1000);
        return Generate.oneOf(small, longs().between(-1000, -1), small.map(v -> v | (1L << 62)),
                small.map(v -> v | (1L << 61)), small.map(v -> v | (1L << 60)), longs().all());
    }

    static Gen<Case> cases() {
        return integers().between(1, 9).flatMap(k -> lists()
                .of(integers().between(0, k).zip(inos(), (i, ino) -> new long[] {i, ino}))
                .ofSizeBetween(1, 60)
                .map(pairs -> {
                    long[] devs = new long[k];
                    for (int i = 0; i < k; i++) {
                        devs[i] = 0x800 + 17L * i;
                    }
                    return new Case(devs, pairs);
                }));
    }

    @Test
    void property_injectiveAndStable() {
        qt().withExamples(1000).forAll(cases()).checkAssert(c -> {
            InodeNumbers n = new InodeNumbers(c.devs());
            Map<Long, String> owner = new HashMap<>();
            Map<String, Long> first = new HashMap<>();
            for (long[] p : c.pairs()) {
                long dev = p[0] < c.devs().length ? c.devs()[(int) p[0]] : 0xdead;
                String key = "dev " + dev + " ino 0x" + Long.toHexString(p[1]);
                long mapped = n.map(dev, p[1]);
                Long before = first.putIfAbsent(key, mapped);
                if (before != null) {
                    assertEquals(before.longValue(), mapped, "unstable for " + key);
                }
                String prev = owner.putIfAbsent(mapped, key);
                if (prev != null) {
                    assertEquals(prev, key, "both map to 0x" + Long.toHexString(mapped));
                }
            }
        });
    }

    @Test
    void property_severalFilesystems_numbersThatFit_keepTheirLowBits_andDiffer() {
        qt().forAll(integers().between(2, 9), longs().between(0, (1L << 59) - 1)).checkAssert((k, ino) -> {
            long[] devs = new long[k];
            for (int i = 0; i < k; i++) {
                devs[i] = 1000 + i;
            }
            InodeNumbers n = new InodeNumbers(devs);
            long[] seen = new long[k];
            for (int i = 0; i < k; i++) {
                seen[i] = n.map(devs[i], ino);
                assertEquals(ino.longValue(), seen[i] & ((1L << 59) - 1), "low bits");
                for (int j = 0; j < i; j++) {
                    assertNotEquals(seen[j], seen[i], "filesystems " + j + " and " + i);
                }
            }
        });
    }
}
