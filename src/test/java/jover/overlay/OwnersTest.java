package jover.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic of fuse-overlayfs's owner mapping: stored ids shown, shown ids stored, squash, overflow. */
class OwnersTest {
    private static final Owners ROOTLESS = new Owners(
            List.of(new Owners.Range(0, 1000, 1), new Owners.Range(1, 100000, 65536)),
            List.of(new Owners.Range(0, 2000, 10)), -1, -1, 65534, 65533);

    @Test
    void asStored_changesNothing() {
        for (int id : new int[] {0, 1, 1000, 65534, -2}) {
            assertEquals(id, Owners.AS_STORED.shownUid(id));
            assertEquals(id, Owners.AS_STORED.diskGid(id));
        }
        assertEquals(-1, Owners.AS_STORED.diskUid(-1));
    }

    @Test
    void storedIds_showShifted_orAsOverflow() {
        assertEquals(1000, ROOTLESS.shownUid(0));
        assertEquals(100000, ROOTLESS.shownUid(1));
        assertEquals(100000 + 65535, ROOTLESS.shownUid(65536));
        assertEquals(65534, ROOTLESS.shownUid(65537), "past every range");
        assertEquals(2009, ROOTLESS.shownGid(9));
        assertEquals(65533, ROOTLESS.shownGid(10), "gids have their own overflow id");
    }

    @Test
    void shownIds_storeShiftedBack_orAsOverflow() {
        assertEquals(0, ROOTLESS.diskUid(1000));
        assertEquals(1, ROOTLESS.diskUid(100000));
        assertEquals(65536, ROOTLESS.diskUid(165535));
        assertEquals(65534, ROOTLESS.diskUid(0), "host root is outside the container's ranges");
        assertEquals(-1, ROOTLESS.diskUid(-1), "chown's 'unchanged' stays");
        assertEquals(5, ROOTLESS.diskGid(2005));
        assertEquals(65533, ROOTLESS.diskGid(1999));
    }

    @Test
    void everyMappedIdRoundTrips() {
        for (int disk = 0; disk <= 65536; disk += 7) { // every id the two ranges map
            assertEquals(disk, ROOTLESS.diskUid(ROOTLESS.shownUid(disk)), "uid " + disk);
        }
    }

    @Test
    void idsAboveTwoToThe31_areUnsigned() {
        Owners high = new Owners(List.of(new Owners.Range(0, 4_000_000_000L, 10)), List.of(), -1, -1, 65534, 65534);
        assertEquals((int) 4_000_000_005L, high.shownUid(5));
        assertEquals(5, high.diskUid((int) 4_000_000_005L));
    }

    @Test
    void squash_showsOneOwner_butStoresMapped() {
        Owners squashed = new Owners(ROOTLESS.uids(), ROOTLESS.gids(), 0, 7, 65534, 65534);
        assertEquals(0, squashed.shownUid(12345));
        assertEquals(7, squashed.shownGid(0));
        assertEquals(0, squashed.diskUid(1000), "what is stored is still mapped");
    }
}
