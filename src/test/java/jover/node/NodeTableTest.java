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
import java.util.Set;
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

    private Node<String> lookup(Node<String> parent, String name, Object linkKey) {
        return table.lookup(parent, name, name, SAME, linkKey, NodeTable.CURRENT);
    }

    @Test
    void root_isIdOne_andNeverFreed() {
        Node<String> root = table.root();
        assertEquals(1, root.id());
        assertEquals(NodeTable.ROOT_ID, root.id());
        assertSame(root, table.get(1));
        assertNull(root.parent());
        assertEquals("", table.path(root));
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
        assertEquals("d/f", table.path(f));
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
        assertEquals("a", table.path(old), "the old node keeps its path");
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
        assertEquals("a", table.path(a1));
        assertEquals("d/a", table.path(a2));
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

    // ---- hard links: one node, several names ----

    @Test
    void linkKey_aNewNameJoinsTheNamedNode_sameId_lookupsCounted() {
        Node<String> a = lookup(table.root(), "a", "K");
        Node<String> b = lookup(table.root(), "b", "K");
        assertSame(a, b, "a name new to the table joins the node with the same link key");
        assertEquals(2, table.lookups(a));
        assertEquals(2, table.size());
        assertSame(a, table.child(table.root(), "a"));
        assertSame(a, table.child(table.root(), "b"));
        assertEquals("a", table.path(a), "the first name stays the main one");
        assertSame(a, lookup(table.root(), "b", "K"), "a known name counts like any other");
        assertEquals(3, table.lookups(a));
        table.forget(a.id(), 3);
        assertEquals(List.of(a.id()), freed);
        assertNull(table.child(table.root(), "a"));
        assertNull(table.child(table.root(), "b"));
    }

    @Test
    void linkKey_mergeGetsTheLinkedNodesPayload() {
        Node<String> a = table.lookup(table.root(), "a", "v1", SAME, "K", NodeTable.CURRENT);
        List<String> seen = new ArrayList<>();
        Node<String> b = table.lookup(table.root(), "b", "v2", (old, fresh) -> {
            seen.add(old);
            seen.add(fresh);
            return "merged";
        }, "K", NodeTable.CURRENT);
        assertSame(a, b);
        assertEquals(List.of("v1", "v2"), seen);
        assertEquals("merged", a.payload());
    }

    @Test
    void otherLinkKey_orMergeRefusing_makesANewNode() {
        Node<String> a = lookup(table.root(), "a", "K");
        Node<String> b = lookup(table.root(), "b", "K2");
        assertNotEquals(a.id(), b.id());
        Node<String> c = table.lookup(table.root(), "c", "c", DIFFERENT, "K", NodeTable.CURRENT);
        assertNotEquals(a.id(), c.id(), "merge refused: a different object despite the key");
        assertTrue(c.id() > b.id());
        Node<String> noKey = lookup(table.root(), "d");
        assertNotEquals(a.id(), noKey.id(), "no key: never joins");
        assertEquals(1, table.lookups(a));
        assertSame(a, table.child(table.root(), "a"));
        assertSame(c, table.child(table.root(), "c"));
        assertEquals("c", table.path(c));
    }

    @Test
    void link_givesTheNodeASecondName_andALookup() {
        Node<String> d = lookup(table.root(), "d");
        Node<String> f = lookup(table.root(), "f", "K");
        table.link(f, d, "g", "K");
        assertEquals(2, table.lookups(f));
        assertSame(f, table.child(table.root(), "f"));
        assertSame(f, table.child(d, "g"));
        assertEquals("f", table.path(f));
        assertTrue(table.hasName(f));
        assertSame(f, lookup(d, "g"), "a lookup of the new name finds the node");
        assertEquals(3, table.lookups(f));
        table.forget(d.id(), 1);
        assertSame(d, table.get(d.id()), "d holds a name of f, which is still in the table");
        assertEquals(List.of(), freed);
    }

    @Test
    void link_ontoANameOfAnotherNode_takesItFromThatNode() {
        Node<String> f = lookup(table.root(), "f", "K");
        Node<String> other = lookup(table.root(), "g", "K2");
        table.link(f, table.root(), "g", "K");
        assertSame(f, table.child(table.root(), "g"));
        assertTrue(!table.hasName(other), "the node that had the name lost it");
        assertSame(other, table.get(other.id()), "and lives on under its id");
        assertEquals("g", table.path(other));
        Node<String> again = lookup(table.root(), "x", "K2");
        assertNotEquals(other.id(), again.id(), "a nameless node is not found by its key");
    }

    @Test
    void link_ofTheNameTheNodeAlreadyHas_onlyCountsALookup() {
        Node<String> f = lookup(table.root(), "f", "K");
        table.link(f, table.root(), "f", "K");
        assertEquals(2, table.lookups(f));
        assertEquals("f", table.path(f));
        table.forget(f.id(), 2);
        assertEquals(List.of(f.id()), freed);
    }

    @Test
    void link_ofAFreedNode_throws() {
        Node<String> f = lookup(table.root(), "f");
        table.forget(f.id(), 1);
        assertThrows(IllegalStateException.class, () -> table.link(f, table.root(), "g", "K"));
        assertNull(table.child(table.root(), "g"));
    }

    @Test
    void detachOfTheMainName_promotesAnotherName_andTheOldParentCanGo() {
        Node<String> d1 = lookup(table.root(), "d1");
        Node<String> d2 = lookup(table.root(), "d2");
        Node<String> f = lookup(d1, "f", "K");
        table.link(f, d2, "g", "K");
        table.forget(d1.id(), 1);
        table.forget(d2.id(), 1);
        assertSame(d1, table.get(d1.id()));
        assertSame(d2, table.get(d2.id()));
        table.detach(d1, "f");
        assertNull(table.child(d1, "f"));
        assertSame(f, table.child(d2, "g"));
        assertTrue(table.hasName(f));
        assertEquals("d2/g", table.path(f), "the other name became the main one");
        assertSame(d2, f.parent());
        assertEquals("g", f.name());
        assertNull(table.get(d1.id()), "d1 no longer holds a name of f and has no lookups");
        assertEquals(List.of(d1.id()), freed);
        assertSame(f, lookup(table.root(), "h", "K"), "the node still has a name: its key still joins");
        table.forget(f.id(), 3);
        assertEquals(List.of(d1.id(), f.id(), d2.id()), freed);
        assertEquals(1, table.size());
    }

    @Test
    void detachOfANonMainName_keepsThePath_andFreesItsParentWhenUnused() {
        Node<String> d = lookup(table.root(), "d");
        Node<String> f = lookup(table.root(), "f", "K");
        table.link(f, d, "g", "K");
        table.forget(d.id(), 1);
        table.detach(d, "g");
        assertEquals("f", table.path(f));
        assertNull(table.child(d, "g"));
        assertEquals(List.of(d.id()), freed);
    }

    @Test
    void replacingTheMainName_promotesAnotherName() {
        Node<String> f = lookup(table.root(), "a", "K");
        table.link(f, table.root(), "b", "K");
        Node<String> n = table.lookup(table.root(), "a", "new", DIFFERENT, "K9", NodeTable.CURRENT);
        assertNotEquals(f.id(), n.id());
        assertSame(n, table.child(table.root(), "a"));
        assertSame(f, table.child(table.root(), "b"));
        assertEquals("b", table.path(f));
    }

    @Test
    void detachOfEveryName_makesTheKeyUnusable_theNodeLivesOn() {
        Node<String> f = lookup(table.root(), "a", "K");
        table.link(f, table.root(), "b", "K");
        table.detach(table.root(), "a");
        assertTrue(table.hasName(f));
        table.detach(table.root(), "b");
        assertTrue(!table.hasName(f));
        assertNull(table.child(table.root(), "a"));
        assertNull(table.child(table.root(), "b"));
        Node<String> g = lookup(table.root(), "c", "K");
        assertNotEquals(f.id(), g.id(), "a node with no name is never found via its key");
        assertEquals(2, table.lookups(f));
        assertSame(f, table.get(f.id()), "the kernel still holds it");
        assertEquals("b", table.path(f), "a nameless node keeps its last main name for its path");
        table.detach(table.root(), "b"); // no such name any more: nothing
        table.forget(f.id(), 2);
        assertEquals(List.of(f.id()), freed);
        assertSame(g, table.child(table.root(), "c"));
    }

    @Test
    void detachOfANameNotInTheTable_isIgnored() {
        Node<String> d = lookup(table.root(), "d");
        table.detach(d, "nope");
        table.detach(table.root(), "nope");
        assertSame(d, table.get(d.id()));
        assertEquals(List.of(), freed);
    }

    @Test
    void moveOfANonMainName_keepsTheMainPath() {
        Node<String> d = lookup(table.root(), "d");
        Node<String> f = lookup(table.root(), "f", "K");
        table.link(f, table.root(), "g", "K");
        table.move(table.root(), "g", d, "h", false);
        assertEquals("f", table.path(f));
        assertNull(table.child(table.root(), "g"));
        assertSame(f, table.child(d, "h"));
        assertSame(f, table.child(table.root(), "f"));
        table.forget(d.id(), 1);
        assertSame(d, table.get(d.id()), "d holds the moved name");
        table.detach(d, "h");
        assertEquals(List.of(d.id()), freed);
        assertEquals("f", table.path(f));
    }

    @Test
    void moveOfTheMainName_changesThePath_andFreesTheOldParent() {
        Node<String> d = lookup(table.root(), "d");
        Node<String> e = lookup(table.root(), "e");
        Node<String> f = lookup(d, "f", "K");
        table.link(f, table.root(), "g", "K");
        table.forget(d.id(), 1);
        table.move(d, "f", e, "x", false);
        assertEquals("e/x", table.path(f));
        assertSame(f, table.child(e, "x"));
        assertSame(f, table.child(table.root(), "g"));
        assertNull(table.child(d, "f"));
        assertEquals(List.of(d.id()), freed);
    }

    @Test
    void moveOfANameOntoAnotherNameOfTheSameNode_changesNothing() {
        Node<String> d = lookup(table.root(), "d");
        Node<String> f = lookup(table.root(), "a", "K");
        table.link(f, d, "b", "K");
        table.forget(d.id(), 1);
        table.move(table.root(), "a", d, "b", false);
        table.move(d, "b", table.root(), "a", false);
        table.move(d, "b", table.root(), "a", true);
        assertSame(f, table.child(table.root(), "a"));
        assertSame(f, table.child(d, "b"));
        assertEquals("a", table.path(f));
        assertSame(d, table.get(d.id()));
        assertEquals(2, table.lookups(f));
        table.detach(d, "b"); // both names are real: removing one leaves the other
        assertEquals("a", table.path(f));
        assertEquals(List.of(d.id()), freed);
    }

    @Test
    void moveOntoAName_theNodeThatHadItLivesOnNameless() {
        Node<String> d = lookup(table.root(), "d");
        Node<String> a = lookup(table.root(), "a", "K");
        Node<String> b = lookup(d, "b", "K2");
        table.forget(d.id(), 1);
        table.move(table.root(), "a", d, "b", false);
        assertSame(a, table.child(d, "b"));
        assertNull(table.child(table.root(), "a"));
        assertEquals("d/b", table.path(a));
        assertTrue(!table.hasName(b));
        assertEquals("d/b", table.path(b), "the replaced node keeps its path");
        assertNotEquals(b.id(), lookup(table.root(), "z", "K2").id());
        table.move(d, "b", table.root(), "a", false);
        assertSame(d, table.get(d.id()), "the replaced node still needs d");
        table.forget(b.id(), 1);
        assertEquals(List.of(b.id(), d.id()), freed);
    }

    @Test
    void exchange_swapsTheTwoNames() {
        Node<String> d = lookup(table.root(), "d");
        Node<String> a = lookup(table.root(), "a");
        Node<String> b = lookup(d, "b");
        table.move(table.root(), "a", d, "b", true);
        assertSame(a, table.child(d, "b"));
        assertSame(b, table.child(table.root(), "a"));
        assertEquals("d/b", table.path(a));
        assertEquals("a", table.path(b));
        assertTrue(table.hasName(a));
        assertTrue(table.hasName(b));
        table.forget(a.id(), 1);
        table.forget(d.id(), 1);
        assertEquals(List.of(a.id(), d.id()), freed, "b no longer sits in d");
    }

    @Test
    void exchange_ofAHardLinkedName_keepsTheOtherNames() {
        Node<String> d = lookup(table.root(), "d");
        Node<String> f = lookup(table.root(), "f", "K");
        table.link(f, d, "l", "K");
        Node<String> g = lookup(table.root(), "g", "K2");
        table.move(d, "l", table.root(), "g", true);
        assertSame(f, table.child(table.root(), "f"));
        assertSame(f, table.child(table.root(), "g"));
        assertSame(g, table.child(d, "l"));
        assertEquals("f", table.path(f));
        assertEquals("d/l", table.path(g));
        table.move(table.root(), "f", d, "l", true); // now the main name of f
        assertSame(g, table.child(table.root(), "f"));
        assertSame(f, table.child(d, "l"));
        assertSame(f, table.child(table.root(), "g"));
        assertEquals("f", table.path(g));
        String p = table.path(f);
        assertTrue(p.equals("d/l") || p.equals("g"), "main name of f is one of its names: " + p);
    }

    @Test
    void freeingANode_releasesTheParentsOfAllItsNames_childFirst() {
        Node<String> d1 = lookup(table.root(), "d1");
        Node<String> d2 = lookup(table.root(), "d2");
        Node<String> d3 = lookup(d2, "d3");
        Node<String> f = lookup(d1, "f", "K");
        assertSame(f, lookup(d3, "g", "K"));
        table.forget(d1.id(), 1);
        table.forget(d2.id(), 1);
        table.forget(d3.id(), 1);
        assertEquals(5, table.size());
        table.forget(f.id(), 2);
        assertEquals(1, table.size());
        assertEquals(4, freed.size(), "freed: " + freed);
        assertEquals(f.id(), freed.get(0), "the child first: " + freed);
        assertEquals(Set.of(f.id(), d1.id(), d2.id(), d3.id()), Set.copyOf(freed));
        assertTrue(freed.indexOf(d3.id()) < freed.indexOf(d2.id()), "d3 before its parent d2: " + freed);
        assertNull(table.child(d1, "f"));
        assertNull(table.child(d3, "g"));
        assertNotEquals(f.id(), lookup(table.root(), "x", "K").id(), "a freed node is not found by its key");
    }

    @Test
    void namelessNode_givenANameByLink_getsItAsMainName_andItsOldParentCanGo() {
        // as an O_TMPFILE file: looked up under a temporary name, detached at once, linked later
        Node<String> d = lookup(table.root(), "d");
        Node<String> t = lookup(d, "#tmp", "K");
        table.detach(d, "#tmp");
        assertTrue(!table.hasName(t));
        table.forget(d.id(), 1);
        assertSame(d, table.get(d.id()), "d keeps the nameless node's path");
        Node<String> e = lookup(table.root(), "e");
        table.link(t, e, "f", "K");
        assertTrue(table.hasName(t));
        assertEquals("e/f", table.path(t));
        assertSame(e, t.parent());
        assertSame(t, table.child(e, "f"));
        assertEquals(2, table.lookups(t));
        assertNull(table.get(d.id()), "d held only the nameless node's old main name");
        assertEquals(List.of(d.id()), freed);
        assertSame(t, lookup(table.root(), "g", "K"), "named again: found by its key");
        table.forget(t.id(), 3);
        assertEquals(List.of(d.id(), t.id()), freed);
        assertSame(e, table.get(e.id()));
    }

    @Test
    void namelessNode_linkedIntoItsOldParent_staysThere() {
        Node<String> d = lookup(table.root(), "d");
        Node<String> t = lookup(d, "#tmp");
        table.detach(d, "#tmp");
        table.forget(d.id(), 1);
        table.link(t, d, "f", "K");
        assertEquals("d/f", table.path(t));
        assertSame(d, table.get(d.id()));
        table.forget(t.id(), 2);
        assertEquals(List.of(t.id(), d.id()), freed);
    }
}
