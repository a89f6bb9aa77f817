package jover.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Model-based test of {@link NodeTable}: random sequences of LOOKUP (same object or a different
 * object under the same name, with or without a link key), FORGET and extra lookups, and with
 * hard links also LINK, DETACH (unlink), MOVE (rename, exchange) and LOOKUP of a name with the
 * link key of an existing node, each checked against a plain model after every step. On failure
 * QuickTheories prints the seed and the shrunk operation list; the message adds the resolved
 * trace (which ids each step touched).
 *
 * <p>The model: each node has a set of names (parent id, name), a main name (which stays, as its
 * path, after its last name is removed), a link key or none, and a lookup count. A node lives
 * while it has lookups or some live node has a name (or a nameless main name) in it. Which name
 * becomes the main one when the main name is removed is the table's choice; the model only
 * requires it to be one of the node's names. Ops that would make a node its own ancestor (a
 * directory moved or hard-linked into itself, which the kernel refuses) are skipped.
 */
class NodeTableModelTest {
    static final String[] NAMES = {"a", "b", "\u00e9\u00ff"};
    static final long UNKNOWN_ID = 999_999;

    /** One step. Node picks are indexes (modulo) into the nodes that exist when the step runs. */
    sealed interface Op permits Lookup, Replace, Forget, AddLookup, Link, Detach, Move, LookupLinked {
    }

    /**
     * LOOKUP of NAMES[name] in the live node picked by {@code parent}; merge says "same object". A
     * known name passes its node's link key; {@code keyed}: a new node (or a known one without a
     * key) gets a fresh link key, else the lookup has none.
     */
    record Lookup(int parent, int name, boolean keyed) implements Op {
    }

    /** LOOKUP (no link key) of NAMES[name] in {@code parent} where the name now denotes a different object. */
    record Replace(int parent, int name) implements Op {
    }

    /** FORGET of {@code n} lookups of a node picked among every id ever handed out, the root and an unknown id. */
    record Forget(int node, int n) implements Op {
    }

    /** addLookup of a live non-root node. */
    record AddLookup(int node) implements Op {
    }

    /**
     * link of a live non-root node with a name ({@code evenNameless}: or without one) to
     * NAMES[name] in the live node picked by {@code parent}, with the node's key (a fresh one if it
     * has none).
     */
    record Link(int node, int parent, int name, boolean evenNameless) implements Op {
    }

    /** detach of a name picked among the names in the table, or one not in it. */
    record Detach(int slot) implements Op {
    }

    /** move of a name picked as in Detach to NAMES[name] in the live node picked by {@code parent}. */
    record Move(int from, int parent, int name, boolean exchange) implements Op {
    }

    /**
     * LOOKUP of NAMES[name] in {@code parent} with the link key of a node picked among every node
     * ever given a key (live, nameless or freed); merge says "same object" exactly when the node
     * whose payload it gets has that key.
     */
    record LookupLinked(int keyOf, int parent, int name) implements Op {
    }

    static Gen<Op> ops() {
        return ops(false);
    }

    static Gen<Op> ops(boolean hardLinks) {
        Gen<Integer> pick = integers().between(0, 40);
        Gen<Integer> name = integers().between(0, NAMES.length - 1);
        Gen<Boolean> coin = booleans().all();
        Gen<Op> lookup = pick.zip(name, coin, (p, n, k) -> new Lookup(p, n, k));
        Gen<Op> replace = pick.zip(name, (p, n) -> new Replace(p, n));
        Gen<Op> forget = pick.zip(integers().between(0, 3), (p, n) -> new Forget(p, n));
        Gen<Op> add = pick.map(p -> new AddLookup(p));
        if (!hardLinks) {
            return Generate.frequency(List.of(
                    Pair.of(5, lookup), Pair.of(1, replace), Pair.of(4, forget), Pair.of(1, add)));
        }
        Gen<Op> link = pick.zip(pick, name, integers().between(0, 2),
                (x, p, n, any) -> new Link(x, p, n, any == 0));
        Gen<Op> detach = pick.map(s -> new Detach(s));
        Gen<Op> move = pick.zip(pick, name, coin, (s, p, n, x) -> new Move(s, p, n, x));
        Gen<Op> linked = pick.zip(pick, name, (k, p, n) -> new LookupLinked(k, p, n));
        return Generate.frequency(List.of(
                Pair.of(5, lookup), Pair.of(1, replace), Pair.of(4, forget), Pair.of(1, add),
                Pair.of(2, link), Pair.of(2, detach), Pair.of(2, move), Pair.of(2, linked)));
    }

    /** A name: {@code name} in the node {@code parent}. */
    record Slot(long parent, String name) implements Comparable<Slot> {
        @Override
        public int compareTo(Slot o) {
            int c = Long.compare(parent, o.parent);
            return c != 0 ? c : name.compareTo(o.name);
        }

        @Override
        public String toString() {
            return parent + "/\"" + name + "\"";
        }
    }

    /** The model: every node ever made, its names, main name, key, count and whether it is still live. */
    static final class Model {
        static final class M {
            final long id;
            /** The table's node (kept after it is freed, to read its last main name). */
            Node<String> node;
            /** The main name: its path, kept when the node loses its last name; null for the root. */
            Long mainParent;
            String mainName;
            /** The names the node has now (the main one among them while it has any). */
            final Set<Slot> names = new LinkedHashSet<>();
            String key;
            long count;
            boolean live = true;

            M(long id, Node<String> node) {
                this.id = id;
                this.node = node;
            }

            Slot main() {
                return mainParent == null ? null : new Slot(mainParent, mainName);
            }

            boolean named() {
                return mainParent == null || !names.isEmpty();
            }

            /** Every node this one keeps in the table: the parents of its names and of its main name. */
            Set<Long> parents() {
                Set<Long> ps = new LinkedHashSet<>();
                if (mainParent != null) {
                    ps.add(mainParent);
                }
                for (Slot s : names) {
                    ps.add(s.parent());
                }
                return ps;
            }
        }

        final Map<Long, M> nodes = new LinkedHashMap<>();
        /** Each name in the table -> the id it denotes. */
        final Map<Slot, Long> names = new HashMap<>();
        /** Link key -> the node a lookup with that key joins (a named live node). */
        final Map<String, Long> holder = new HashMap<>();
        final Set<Long> freed = new HashSet<>();
        /** Nodes whose main name was removed while they had others: the table picks the new main one. */
        final Set<M> promoted = new LinkedHashSet<>();
        long maxId = NodeTable.ROOT_ID;
        int keys;

        Model() {
            nodes.put(NodeTable.ROOT_ID, new M(NodeTable.ROOT_ID, null));
        }

        String newKey() {
            return "K" + ++keys;
        }

        List<Long> liveIds() {
            return nodes.values().stream().filter(m -> m.live).map(m -> m.id).sorted().toList();
        }

        long pickLive(int pick) {
            List<Long> live = liveIds();
            return live.get(pick % live.size());
        }

        boolean hasLiveChild(long id) {
            return nodes.values().stream().anyMatch(m -> m.live && m.parents().contains(id));
        }

        /** Whether {@code target} is {@code from} or one of its ancestors along any name. */
        boolean reachesUp(long from, long target) {
            Deque<Long> todo = new ArrayDeque<>(List.of(from));
            Set<Long> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                long id = todo.pop();
                if (id == target) {
                    return true;
                }
                if (seen.add(id)) {
                    todo.addAll(nodes.get(id).parents());
                }
            }
            return false;
        }

        /** A name in the table, or (one pick in size + 1) a name in a live node that is not in it. */
        Slot pickSlot(int pick) {
            List<Slot> slots = new ArrayList<>(new TreeSet<>(names.keySet()));
            int i = pick % (slots.size() + 1);
            if (i < slots.size()) {
                return slots.get(i);
            }
            List<Slot> missing = new ArrayList<>();
            for (long p : liveIds()) {
                for (String n : NAMES) {
                    Slot s = new Slot(p, n);
                    if (!names.containsKey(s)) {
                        missing.add(s);
                    }
                }
            }
            return missing.isEmpty() ? null : missing.get(pick % missing.size());
        }

        M ownerOfPayload(String payload) {
            for (M m : nodes.values()) {
                if (m.node != null && m.node.payload() == payload) {
                    return m;
                }
            }
            return null;
        }

        void setKey(M m, String key) {
            if (key != null && !key.equals(m.key)) {
                if (m.key != null) {
                    holder.remove(m.key, m.id);
                }
                m.key = key;
                if (m.named()) {
                    holder.put(key, m.id);
                }
            }
        }

        void removeName(Slot s) {
            M m = nodes.get(names.remove(s));
            m.names.remove(s);
            if (s.equals(m.main())) {
                if (!m.names.isEmpty()) {
                    promoted.add(m);
                } else if (m.key != null) {
                    holder.remove(m.key, m.id); // nameless: its key finds it no more
                }
            }
        }

        void addName(M m, Slot s) {
            if (m.names.isEmpty()) {
                m.mainParent = s.parent(); // a nameless node: its main name
                m.mainName = s.name();
            }
            m.names.add(s);
            names.put(s, m.id);
            if (m.key != null) {
                holder.put(m.key, m.id);
            }
        }

        void rename(M m, Slot from, Slot to) {
            names.remove(from);
            m.names.remove(from);
            m.names.add(to);
            names.put(to, m.id);
            if (from.equals(m.main())) {
                m.mainParent = to.parent();
                m.mainName = to.name();
            }
        }

        /** Frees every live node with no lookups and no live child, until none is left. */
        void cascade() {
            boolean changed;
            do {
                changed = false;
                Set<Long> held = new HashSet<>();
                for (M m : nodes.values()) {
                    if (m.live) {
                        held.addAll(m.parents());
                    }
                }
                for (M m : nodes.values()) {
                    if (m.live && m.id != NodeTable.ROOT_ID && m.count == 0 && !held.contains(m.id)) {
                        m.live = false;
                        freed.add(m.id);
                        for (Slot s : m.names) {
                            names.remove(s, m.id);
                        }
                        if (m.key != null) {
                            holder.remove(m.key, m.id);
                        }
                        changed = true;
                    }
                }
            } while (changed);
        }

        String path(M m) {
            if (m.mainParent == null) {
                return "";
            }
            String pp = path(nodes.get(m.mainParent));
            return pp.isEmpty() ? m.mainName : pp + "/" + m.mainName;
        }
    }

    /** Runs one sequence against a fresh table and the model, checking after every step. */
    static void run(List<Op> ops) {
        List<Long> freeOrder = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        Model model = new Model();
        NodeTable<String>[] holder = newTableHolder();
        NodeTable<String> table = new NodeTable<>("root", n -> {
            freeOrder.add(n.id());
            // parents are freed after their last child: nothing still in the table may have a name in n
            for (long id = NodeTable.ROOT_ID; id <= model.maxId + 1; id++) {
                Node<String> other = holder[0].get(id);
                if (other == null) {
                    continue;
                }
                if (other.parent() == n) {
                    violations.add("node " + n.id() + " freed while its child " + id + " is in the table");
                }
                if (other.otherNames != null) {
                    for (Node.Name<String> name : other.otherNames) {
                        if (name.parent() == n) {
                            violations.add("node " + n.id() + " freed while " + id + " has the name \""
                                    + name.name() + "\" in it");
                        }
                    }
                }
            }
        });
        holder[0] = table;
        model.nodes.get(NodeTable.ROOT_ID).node = table.root();
        List<String> trace = new ArrayList<>();
        int step = 0;
        try {
            for (Op op : ops) {
                step++;
                apply(op, table, model, trace);
                for (Model.M m : model.promoted) {
                    Slot main = new Slot(m.node.parent().id(), m.node.name());
                    assertTrue(m.names.contains(main), "node " + m.id + " lost its main name; the new main name "
                            + main + " is not one of its names " + m.names);
                    m.mainParent = main.parent();
                    m.mainName = main.name();
                }
                model.promoted.clear();
                model.cascade();
                check(table, model, freeOrder, violations);
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("after step " + step + ": " + e.getMessage() + "\ntrace:\n  "
                    + String.join("\n  ", trace), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static NodeTable<String>[] newTableHolder() {
        return (NodeTable<String>[]) new NodeTable<?>[1];
    }

    private static void apply(Op op, NodeTable<String> table, Model model, List<String> trace) {
        if (op instanceof Lookup l) {
            lookup(table, model, trace, l.parent(), NAMES[l.name()], l.keyed());
        } else if (op instanceof Replace r) {
            replace(table, model, trace, r.parent(), NAMES[r.name()]);
        } else if (op instanceof Forget f) {
            List<Long> ids = new ArrayList<>(model.nodes.keySet());
            ids.add(UNKNOWN_ID);
            long id = ids.get(f.node() % ids.size());
            trace.add("forget(" + id + ", " + f.n() + ")");
            table.forget(id, f.n());
            Model.M m = model.nodes.get(id);
            if (m != null && m.live && id != NodeTable.ROOT_ID) {
                m.count = Math.max(0, m.count - f.n());
            }
        } else if (op instanceof AddLookup a) {
            List<Long> live = model.liveIds().stream().filter(i -> i != NodeTable.ROOT_ID).toList();
            if (live.isEmpty()) {
                trace.add("addLookup: no node");
                return;
            }
            long id = live.get(a.node() % live.size());
            trace.add("addLookup(" + id + ")");
            table.addLookup(table.get(id));
            model.nodes.get(id).count++;
        } else if (op instanceof Link k) {
            link(table, model, trace, k);
        } else if (op instanceof Detach d) {
            Slot s = model.pickSlot(d.slot());
            if (s == null) {
                trace.add("detach: no name");
                return;
            }
            Long had = model.names.get(s);
            trace.add("detach(" + s + ")" + (had != null ? " (name held " + had + ")" : " (not in the table)"));
            table.detach(table.get(s.parent()), s.name());
            if (had != null) {
                model.removeName(s);
            }
        } else if (op instanceof Move mv) {
            move(table, model, trace, mv);
        } else if (op instanceof LookupLinked ll) {
            lookupLinked(table, model, trace, ll);
        }
    }

    private static Node<String> liveNode(NodeTable<String> table, long id) {
        Node<String> n = table.get(id);
        assertNotNull(n, "live node " + id + " missing from the table");
        return n;
    }

    private static void lookup(NodeTable<String> table, Model model, List<String> trace, int pick, String name,
                               boolean keyed) {
        long parentId = model.pickLive(pick);
        Node<String> parent = liveNode(table, parentId);
        Slot slot = new Slot(parentId, name);
        Long existing = model.names.get(slot);
        Model.M ex = existing == null ? null : model.nodes.get(existing);
        String key = ex != null && ex.key != null ? ex.key : keyed ? model.newKey() : null;
        String fresh = "payload-" + trace.size();
        int[] merges = {0};
        BinaryOperator<String> merge = (old, f) -> {
            merges[0]++;
            return f;
        };
        Node<String> got = key == null ? table.lookup(parent, name, fresh, merge)
                : table.lookup(parent, name, fresh, merge, key, NodeTable.CURRENT);
        trace.add("lookup(" + slot + (key != null ? ", " + key : "") + ") -> " + got.id()
                + (existing != null ? " (name held " + existing + ")" : ""));
        assertEquals(existing != null ? 1 : 0, merges[0], "merge is asked exactly when the name has a node");
        assertSame(fresh, got.payload(), "the payload kept is the merged (fresh) one");
        if (ex != null) {
            assertEquals(ex.id, got.id(), "same name, same object: same id while it lives");
            ex.count++;
            model.setKey(ex, key);
            return;
        }
        newNode(model, parent, slot, key, got);
    }

    private static void replace(NodeTable<String> table, Model model, List<String> trace, int pick, String name) {
        long parentId = model.pickLive(pick);
        Node<String> parent = liveNode(table, parentId);
        Slot slot = new Slot(parentId, name);
        Long existing = model.names.get(slot);
        String fresh = "payload-" + trace.size();
        int[] merges = {0};
        Node<String> got = table.lookup(parent, name, fresh, (old, f) -> {
            merges[0]++;
            return null;
        });
        trace.add("replace(" + slot + ") -> " + got.id() + (existing != null ? " (name held " + existing + ")" : ""));
        assertEquals(existing != null ? 1 : 0, merges[0], "merge is asked exactly when the name has a node");
        assertSame(fresh, got.payload());
        if (existing != null) {
            model.removeName(slot); // a replaced node leaves the name but lives on under its id
        }
        newNode(model, parent, slot, null, got);
    }

    private static void lookupLinked(NodeTable<String> table, Model model, List<String> trace, LookupLinked op) {
        List<Model.M> keyed = model.nodes.values().stream().filter(m -> m.key != null).toList();
        if (keyed.isEmpty()) {
            trace.add("lookupLinked: no key");
            return;
        }
        Model.M of = keyed.get(op.keyOf() % keyed.size());
        String key = of.key;
        String name = NAMES[op.name()];
        long parentId = model.pickLive(op.parent());
        Node<String> parent = liveNode(table, parentId);
        Slot slot = new Slot(parentId, name);
        Long existing = model.names.get(slot);
        Model.M ex = existing == null ? null : model.nodes.get(existing);
        Long h = model.holder.get(key);
        Model.M hm = h == null ? null : model.nodes.get(h);
        boolean same = ex != null && key.equals(ex.key);
        boolean join = !same && hm != null;
        if (join && model.reachesUp(parentId, hm.id)) {
            trace.add("lookupLinked(" + slot + ", " + key + "): skipped, " + hm.id + " would be its own ancestor");
            return;
        }
        String fresh = "payload-" + trace.size();
        int[] merges = {0};
        Node<String> got = table.lookup(parent, name, fresh, (old, f) -> {
            merges[0]++;
            Model.M owner = model.ownerOfPayload(old);
            return owner != null && key.equals(owner.key) ? f : null;
        }, key, NodeTable.CURRENT);
        trace.add("lookupLinked(" + slot + ", " + key + " of " + of.id + ") -> " + got.id()
                + (existing != null ? " (name held " + existing + ")" : "")
                + (hm != null ? " (key held by " + hm.id + ")" : ""));
        assertEquals((ex != null ? 1 : 0) + (join ? 1 : 0), merges[0], "merge calls");
        assertSame(fresh, got.payload(), "the payload kept is the merged (fresh) one");
        if (same) {
            assertEquals(ex.id, got.id(), "the name's node has the key: same id");
            ex.count++;
            return;
        }
        if (ex != null) {
            model.removeName(slot);
        }
        if (join) {
            assertEquals(hm.id, got.id(), "a name new to the table joins the named node with its link key");
            hm.count++;
            model.addName(hm, slot);
            return;
        }
        newNode(model, parent, slot, key, got);
    }

    private static void link(NodeTable<String> table, Model model, List<String> trace, Link op) {
        List<Model.M> candidates = model.nodes.values().stream()
                .filter(m -> m.live && m.id != NodeTable.ROOT_ID && (op.evenNameless() || m.named())).toList();
        if (candidates.isEmpty()) {
            trace.add("link: no node");
            return;
        }
        Model.M x = candidates.get(op.node() % candidates.size());
        long parentId = model.pickLive(op.parent());
        Slot slot = new Slot(parentId, NAMES[op.name()]);
        if (model.reachesUp(parentId, x.id)) {
            trace.add("link(" + x.id + ", " + slot + "): skipped, " + x.id + " would be its own ancestor");
            return;
        }
        Long other = model.names.get(slot);
        String key = x.key != null ? x.key : model.newKey();
        trace.add("link(" + x.id + (x.named() ? "" : " nameless") + ", " + slot + ", " + key + ")"
                + (other != null ? " (name held " + other + ")" : ""));
        table.link(x.node, liveNode(table, parentId), slot.name(), key);
        if (other == null || other != x.id) {
            if (other != null) {
                model.removeName(slot);
            }
            model.addName(x, slot);
        }
        model.setKey(x, key);
        x.count++;
    }

    private static void move(NodeTable<String> table, Model model, List<String> trace, Move op) {
        Slot from = model.pickSlot(op.from());
        if (from == null) {
            trace.add("move: no name");
            return;
        }
        long toParent = model.pickLive(op.parent());
        Slot to = new Slot(toParent, NAMES[op.name()]);
        Long node = model.names.get(from);
        Long other = model.names.get(to);
        String what = (op.exchange() ? "exchange(" : "move(") + from + ", " + to + ")"
                + " (" + (node != null ? node : "-") + ", " + (other != null ? other : "-") + ")";
        boolean acts = !Objects.equals(node, other) || node == null;
        if (acts && node != null && model.reachesUp(toParent, node)) {
            trace.add(what + ": skipped, " + node + " would be its own ancestor");
            return;
        }
        if (acts && op.exchange() && other != null && model.reachesUp(from.parent(), other)) {
            trace.add(what + ": skipped, " + other + " would be its own ancestor");
            return;
        }
        trace.add(what);
        table.move(liveNode(table, from.parent()), from.name(), liveNode(table, toParent), to.name(), op.exchange());
        if (!acts) {
            return; // two names of one node: nothing changes
        }
        if (other != null) {
            model.removeName(to);
        }
        if (node != null) {
            model.rename(model.nodes.get(node), from, to);
        }
        if (other != null && op.exchange()) {
            model.addName(model.nodes.get(other), from);
        }
    }

    private static void newNode(Model model, Node<String> parent, Slot slot, String key, Node<String> got) {
        // a new node: its id was never handed out and is larger than every earlier one
        assertTrue(got.id() > model.maxId, "id " + got.id() + " not above every earlier id (max " + model.maxId + ")");
        assertTrue(!model.nodes.containsKey(got.id()), "id " + got.id() + " handed out twice");
        assertSame(parent, got.parent());
        assertEquals(slot.name(), got.name());
        model.maxId = got.id();
        Model.M m = new Model.M(got.id(), got);
        m.count = 1;
        model.nodes.put(m.id, m);
        model.addName(m, slot);
        model.setKey(m, key);
    }

    private static void check(NodeTable<String> table, Model model, List<Long> freeOrder, List<String> violations) {
        if (!violations.isEmpty()) {
            fail(String.join("; ", violations));
        }
        assertNotNull(table.get(NodeTable.ROOT_ID), "the root was freed");
        assertSame(table.root(), table.get(NodeTable.ROOT_ID));
        int live = 0;
        for (Model.M m : model.nodes.values()) {
            Node<String> n = table.get(m.id);
            if (m.live) {
                live++;
                assertNotNull(n, "node " + m.id + " freed too early (lookups " + m.count + ", live children "
                        + model.hasLiveChild(m.id) + ")");
                assertEquals(m.id, n.id());
                assertSame(m.node, n);
                assertEquals(m.named(), table.hasName(n), "hasName of " + m.id);
                if (m.id != NodeTable.ROOT_ID) {
                    long count = table.lookups(n);
                    assertTrue(count >= 0, "negative lookup count");
                    assertEquals(m.count, count, "lookup count of " + m.id);
                    assertEquals(m.mainParent.longValue(), n.parent().id(), "parent of " + m.id);
                    assertEquals(m.mainName, n.name(), "main name of " + m.id);
                    assertEquals(model.path(m), table.path(n), "path of " + m.id);
                    Set<Slot> others = new HashSet<>(m.names);
                    others.remove(m.main());
                    Set<Slot> got = new HashSet<>();
                    if (n.otherNames != null) {
                        for (Node.Name<String> o : n.otherNames) {
                            got.add(new Slot(o.parent().id(), o.name()));
                        }
                    }
                    assertEquals(others, got, "other names of " + m.id);
                    if (!m.named()) {
                        assertTrue(got.isEmpty(), "a nameless node has other names: " + got);
                    }
                }
                // every name in this node denotes the node the model says
                for (String name : NAMES) {
                    Node<String> child = table.child(n, name);
                    Long want = model.names.get(new Slot(m.id, name));
                    assertEquals(want, child == null ? null : child.id(), "child(" + m.id + ", \"" + name + "\")");
                }
            } else {
                assertNull(n, "node " + m.id + " should be freed (lookups 0, no children) but is still in the table");
            }
        }
        assertEquals(live, table.size(), "live nodes");
        // the model's own invariants: names in live nodes denote live nodes; a key finds a named live node
        for (Map.Entry<Slot, Long> e : model.names.entrySet()) {
            assertTrue(model.nodes.get(e.getKey().parent()).live && model.nodes.get(e.getValue()).live,
                    "model: name " + e.getKey());
        }
        for (Map.Entry<String, Long> e : model.holder.entrySet()) {
            Model.M h = model.nodes.get(e.getValue());
            assertTrue(h.live && h.named() && e.getKey().equals(h.key), "model: key " + e.getKey());
        }
        // onFree: exactly once per freed node, and only for freed nodes
        assertEquals(new HashSet<>(freeOrder).size(), freeOrder.size(), "onFree called twice for a node: " + freeOrder);
        assertEquals(model.freed, new HashSet<>(freeOrder), "onFree calls");
        // parents after children: a freed node's children (every node with a name, or its
        // nameless main name, in it) were freed before it
        for (Model.M c : model.nodes.values()) {
            for (long p : c.parents()) {
                int parentAt = freeOrder.indexOf(p);
                if (parentAt >= 0) {
                    int childAt = freeOrder.indexOf(c.id);
                    assertTrue(childAt >= 0 && childAt < parentAt,
                            "node " + p + " freed before its child " + c.id + ": " + freeOrder);
                }
            }
        }
    }

    @Test
    void randomLookupForgetSequences_matchTheModel() {
        qt().withExamples(1500).forAll(lists().of(ops()).ofSizeBetween(1, 60)).checkAssert(NodeTableModelTest::run);
    }

    @Test
    void randomSequences_withoutReplacement_matchTheModel() {
        // the common case on its own, so that a failure there is not masked by the replace path
        Gen<Op> noReplace = ops().map(op -> op instanceof Replace r ? new Lookup(r.parent(), r.name(), true) : op);
        qt().withExamples(1000).forAll(lists().of(noReplace).ofSizeBetween(1, 60)).checkAssert(NodeTableModelTest::run);
    }

    @Test
    void randomSequencesWithHardLinks_matchTheModel() {
        qt().withExamples(2000).forAll(lists().of(ops(true)).ofSizeBetween(1, 60)).checkAssert(NodeTableModelTest::run);
    }

    @Test
    void randomHardLinkSequences_withoutForget_matchTheModel() {
        // names only come and go: long-lived nodes collect many names, renames and exchanges
        Gen<Op> noForget = ops(true).map(op -> op instanceof Forget f ? new Link(f.node(), f.n(), f.n() % NAMES.length, false) : op);
        qt().withExamples(600).forAll(lists().of(noForget).ofSizeBetween(1, 60)).checkAssert(NodeTableModelTest::run);
    }
}
