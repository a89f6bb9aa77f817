package jover.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Payload changes and the stamps that keep a stale lookup from undoing them (issue 10, step 2),
 * and paths read while ancestors move.
 */
class NodeTableChangesTest {
    private final NodeTable<String> table = new NodeTable<>("root", n -> { });
    private static final BinaryOperator<String> SAME = (old, fresh) -> fresh;

    private Node<String> lookup(Node<String> parent, String name, String payload) {
        return table.lookup(parent, name, payload, SAME);
    }

    @Test
    void lookupResolvedBeforeAnUpdate_isRefused_andTheUpdateStays() {
        Node<String> f = lookup(table.root(), "f", "lower");
        long stamp = table.stamp();                        // a lookup starts resolving: it sees "lower"
        table.update(f, old -> "upper");                   // a copy-up completes meanwhile
        assertNull(table.lookup(table.root(), "f", "lower", SAME, null, stamp), "a stale result is refused");
        assertEquals("upper", f.payload());
        assertEquals(1, table.lookups(f), "a refused lookup counts nothing");
        Node<String> again = table.lookup(table.root(), "f", "upper", SAME, null, table.stamp());
        assertSame(f, again, "resolved again after the change: merged as usual");
        assertEquals(2, table.lookups(f));
    }

    @Test
    void lookupResolvedAfterAnUpdate_isMerged() {
        Node<String> f = lookup(table.root(), "f", "lower");
        table.update(f, old -> "upper");
        long stamp = table.stamp();
        assertSame(f, table.lookup(table.root(), "f", "upper-fresh", SAME, null, stamp));
        assertEquals("upper-fresh", f.payload());
    }

    @Test
    void updateOfOneChild_leavesLookupsOfItsSiblingsValid() {
        Node<String> d = lookup(table.root(), "d", "dir");
        Node<String> a = lookup(d, "a", "a0");
        Node<String> b = lookup(d, "b", "b0");
        long stamp = table.stamp();
        table.update(a, old -> "a1");
        assertNull(table.lookup(d, "a", "a0", SAME, null, stamp), "the changed name's stale result is refused");
        assertSame(b, table.lookup(d, "b", "b1", SAME, null, stamp), "a sibling's result is still good: no retry");
        assertNotNull(table.lookup(d, "c", "c0", SAME, null, stamp), "nor for a new name");
    }

    @Test
    void detachAfterTheStamp_refusesTheStaleLookup_insteadOfMakingANewNode() {
        Node<String> f = lookup(table.root(), "f", "lower");
        long stamp = table.stamp();
        table.detach(table.root(), "f");                   // the name moved to a new object (copy beside)
        assertNull(table.lookup(table.root(), "f", "lower", SAME, null, stamp));
        assertNull(table.child(table.root(), "f"), "no node was made from the stale result");
        assertNotNull(f);
    }

    @Test
    void childFreedAfterTheStamp_refusesTheStaleLookup() {
        Node<String> f = lookup(table.root(), "f", "lower");
        table.update(f, old -> "upper");
        long stamp = table.stamp();
        table.forget(f.id(), 1);                           // the kernel forgot the copied-up node
        assertNull(table.get(f.id()));
        assertNull(table.lookup(table.root(), "f", "lower", SAME, null, stamp),
                "a stale result must not make a new node after the old one was freed");
    }

    @Test
    void staleLookupJoiningAChangedHardLinkedNode_isRefused() {
        Node<String> a = table.lookup(table.root(), "a", "x0", SAME, "key", NodeTable.CURRENT);
        long stamp = table.stamp();
        table.update(a, old -> "x1");
        Node<String> d = lookup(table.root(), "d", "dir");
        assertNull(table.lookup(d, "b", "x0", SAME, "key", stamp), "joining the changed node with an old payload");
        assertEquals("x1", a.payload());
    }

    @Test
    void currentNeverConflicts() {
        Node<String> f = lookup(table.root(), "f", "v0");
        table.update(f, old -> "v1");
        assertSame(f, table.lookup(table.root(), "f", "v2", SAME, null, NodeTable.CURRENT));
        assertEquals("v2", f.payload());
    }

    @Test
    void update_seesTheCurrentPayload() {
        Node<String> f = lookup(table.root(), "f", "a");
        table.update(f, old -> old + "b");
        assertEquals("abc", table.update(f, old -> old + "c"));
    }

    @Test
    void pathAndLocation_areNeverTorn_whileAnAncestorMoves() throws InterruptedException {
        Node<String> a = lookup(table.root(), "a", "dir");
        Node<String> b = lookup(table.root(), "b", "dir");
        Node<String> x = lookup(a, "x", "dir");
        Node<String> f = lookup(x, "f", "file");
        AtomicBoolean stop = new AtomicBoolean();
        Thread mover = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                boolean inA = i % 2 == 0;
                table.move(inA ? a : b, inA ? "x" : "y", inA ? b : a, inA ? "y" : "x", false);
            }
        });
        mover.start();
        Set<String> valid = Set.of("a/x/f", "b/y/f");
        List<String> torn = new ArrayList<>();
        try {
            for (int i = 0; i < 200_000 && torn.size() < 5; i++) {
                String p = table.path(f);
                if (!valid.contains(p)) {
                    torn.add(p);
                }
                NodeTable.Location<String> at = table.locate(x);
                if (!(at.parentPath() + "/" + at.name()).matches("a/x|b/y")) {
                    torn.add(at.toString());
                }
            }
        } finally {
            stop.set(true);
            mover.join();
        }
        assertEquals(List.of(), torn);
        assertTrue(valid.contains(table.path(f)));
    }
}
