package jover.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/** Example-based checks of {@link NodeTable}; the model-based test covers random sequences. */
class NodeTableTest {
    private final List<Long> freed = new ArrayList<>();
    private final NodeTable<String> table = new NodeTable<>("root", n -> freed.add(n.id()));
    private static final BinaryOperator<String> SAME = (old, fresh) -> fresh;
    private static final BinaryOperator<String> DIFFERENT = (old, fresh) -> null;

    private Node<String> lookup(Node<String> parent, String name) {
        return table.lookup(parent, name, name, SAME);
    }

    @Test
    void root_isIdOne_andNeverFreed() {
        Node<String> root = table.root();
        assertEquals(1, root.id());
        assertEquals(NodeTable.ROOT_ID, root.id());
        assertSame(root, table.get(1));
        assertNull(root.parent());
        assertEquals("", root.path());
        table.forget(1, 1);
        table.forget(1, Long.MAX_VALUE);
        assertSame(root, table.get(1));
        assertEquals(1, table.size());
        assertEquals(List.of(), freed);
    }

    @Test
    void firstIdHandedOut_isAboveTheRoot() {
        assertEquals(2, lookup(table.root(), "a").id());
    }

    @Test
    void sameName_sameNode_countsEveryLookup() {
        Node<String> a = lookup(table.root(), "a");
        Node<String> again = lookup(table.root(), "a");
        assertSame(a, again);
        assertEquals(2, table.lookups(a));
        table.addLookup(a);
        assertEquals(3, table.lookups(a));
        table.forget(a.id(), 2);
        assertEquals(1, table.lookups(a));
        assertSame(a, table.get(a.id()));
        table.forget(a.id(), 1);
        assertNull(table.get(a.id()));
        assertEquals(List.of(a.id()), freed);
    }

    @Test
    void forgetMoreThanHeld_clampsAtZero_andFreesOnce() {
        Node<String> a = lookup(table.root(), "a");
        table.forget(a.id(), 5);
        assertEquals(0, table.lookups(a), "never negative");
        assertNull(table.get(a.id()));
        table.forget(a.id(), 1); // a late FORGET for a freed id is ignored
        assertEquals(List.of(a.id()), freed);
    }

    @Test
    void forgetZero_doesNotFreeALookedUpNode() {
        Node<String> a = lookup(table.root(), "a");
        table.forget(a.id(), 0);
        assertSame(a, table.get(a.id()));
        assertEquals(1, table.lookups(a));
    }

    @Test
    void forgetUnknownId_isIgnored() {
        table.forget(12345, 1);
        table.forget(0, 1);
        table.forget(-1, 1);
        assertEquals(1, table.size());
        assertEquals(List.of(), freed);
    }

    @Test
    void parentStaysWhileChildLives_andIsFreedRightAfterIt() {
        Node<String> d = lookup(table.root(), "d");
        Node<String> f = lookup(d, "f");
        assertEquals("d/f", f.path());
        table.forget(d.id(), 1);
        assertSame(d, table.get(d.id()), "a parent with a child in the table stays");
        assertEquals(0, table.lookups(d));
        table.forget(f.id(), 1);
        assertNull(table.get(f.id()));
        assertNull(table.get(d.id()));
        assertEquals(List.of(f.id(), d.id()), freed, "child first, then parent");
    }

    @Test
    void idsAreNeverReused_evenAfterFrees() {
        Node<String> a = lookup(table.root(), "a");
        long first = a.id();
        table.forget(first, 1);
        Node<String> a2 = lookup(table.root(), "a");
        assertNotEquals(first, a2.id());
        assertTrue(a2.id() > first);
    }

    @Test
    void differentObject_getsNewId_oldNodeLivesOnUntilForgotten() {
        Node<String> old = lookup(table.root(), "a");
        Node<String> fresh = table.lookup(table.root(), "a", "new", DIFFERENT);
        assertNotEquals(old.id(), fresh.id());
        assertTrue(fresh.id() > old.id());
        assertSame(old, table.get(old.id()), "the kernel still holds the old id");
        assertEquals(1, table.lookups(old));
        assertEquals(1, table.lookups(fresh));
        assertEquals("a", old.path(), "the old node keeps its path");
        assertSame(fresh, lookup(table.root(), "a"), "the name now denotes the new node");
        table.forget(old.id(), 1);
        assertNull(table.get(old.id()));
        assertSame(fresh, table.get(fresh.id()));
        assertSame(fresh, lookup(table.root(), "a"), "freeing the old node does not unlink the new one");
    }

    @Test
    void replacedChild_keepsItsParentInTheTable() {
        // d/f is looked up, then d/f turns out to be another object (e.g. copied up): the old f
        // keeps d as its parent for its path, so d must not leave the table before old f does.
        Node<String> d = lookup(table.root(), "d");
        Node<String> oldF = lookup(d, "f");
        Node<String> newF = table.lookup(d, "f", "f2", DIFFERENT);
        table.forget(newF.id(), 1);
        table.forget(d.id(), 1);
        assertSame(oldF, table.get(oldF.id()));
        assertNotNull(table.get(d.id()), "d freed while its (replaced) child " + oldF.id() + " is still in the table");
        assertTrue(!freed.contains(d.id()), "onFree(d) ran before onFree of its child: " + freed);
        table.forget(oldF.id(), 1);
        assertNull(table.get(d.id()));
        assertEquals(List.of(newF.id(), oldF.id(), d.id()), freed);
    }

    @Test
    void addLookup_ofFreedNode_throws() {
        Node<String> a = lookup(table.root(), "a");
        table.forget(a.id(), 1);
        assertThrows(IllegalStateException.class, () -> table.addLookup(a));
    }

    @Test
    void merge_getsOldAndFreshPayloads_andItsResultIsKept() {
        Node<String> a = table.lookup(table.root(), "a", "v1", SAME);
        List<String> seen = new ArrayList<>();
        table.lookup(table.root(), "a", "v2", (old, fresh) -> {
            seen.add(old);
            seen.add(fresh);
            return "merged";
        });
        assertEquals(List.of("v1", "v2"), seen);
        assertEquals("merged", a.payload());
    }

    @Test
    void sameNameInDifferentParents_areDifferentNodes() {
        Node<String> d = lookup(table.root(), "d");
        Node<String> a1 = lookup(table.root(), "a");
        Node<String> a2 = lookup(d, "a");
        assertNotEquals(a1.id(), a2.id());
        assertEquals("a", a1.path());
        assertEquals("d/a", a2.path());
    }

    @Test
    void deepChain_isFreedBottomUp_inOneForget() {
        Node<String> p = table.root();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            p = lookup(p, "d" + i);
            ids.add(p.id());
        }
        for (int i = 0; i < 4; i++) {
            table.forget(ids.get(i), 1);
        }
        assertEquals(6, table.size());
        table.forget(ids.get(4), 1);
        assertEquals(1, table.size());
        List<Long> expected = new ArrayList<>(ids);
        java.util.Collections.reverse(expected);
        assertEquals(expected, freed);
    }
}
