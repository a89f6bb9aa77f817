package jover.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Node ids and lookup counts, names and payloads (see the package doc for the contract).
 *
 * <p>Locking: {@code lock} guards counts, the name tree and every payload change; it is the
 * innermost lock of jover: nothing else is taken and no system call is made while it is held
 * ({@code onFree} runs after it is released). Callers may hold a node's monitor (copy-up) or
 * other locks of the overlay while they call in.
 *
 * @param <T> the payload kept per node
 */
public final class NodeTable<T> {
    public static final long ROOT_ID = 1;
    /** A resolve that cannot be stale: the caller just made the object (creations, links). */
    public static final long CURRENT = Long.MAX_VALUE;

    private final Object lock = new Object();
    /** Counts payload and name changes (see {@link Node#changedAt}); written under the lock. */
    private volatile long clock;
    /** Odd while a node's main name moves (a seqlock for {@link #path}); written under the lock. */
    private volatile int moves;
    private final ConcurrentHashMap<Long, Node<T>> byId = new ConcurrentHashMap<>();
    /** Hard-linkable nodes by their key, while they have a name. */
    private final Map<Object, Node<T>> byLinkKey = new HashMap<>();
    private final Node<T> root;
    private final Consumer<Node<T>> onFree;
    private long nextId = ROOT_ID + 1;

    /**
     * @param rootPayload the root's payload; the root is never freed
     * @param onFree      called, outside the lock, once for each node as it leaves the table
     */
    public NodeTable(T rootPayload, Consumer<Node<T>> onFree) {
        this.root = new Node<>(ROOT_ID, null, "", rootPayload);
        this.onFree = onFree;
        byId.put(ROOT_ID, root);
    }

    public Node<T> root() {
        return root;
    }

    /** The live node with this id, or null (never handed out, or freed). */
    public Node<T> get(long id) {
        return byId.get(id);
    }

    /** The node {@code name} in {@code parent} currently has, or null; counts nothing. */
    public Node<T> child(Node<T> parent, String name) {
        synchronized (lock) {
            return parent.children == null ? null : parent.children.get(name);
        }
    }

    /** Whether the node still has a name (its main one; the root always has). */
    public boolean hasName(Node<T> node) {
        synchronized (lock) {
            return named(node);
        }
    }

    /** Live nodes, the root included. */
    public int size() {
        return byId.size();
    }

    /** {@link #lookup(Node, String, Object, BinaryOperator, Object, long)} of a current object with no other names. */
    public Node<T> lookup(Node<T> parent, String name, T fresh, BinaryOperator<T> merge) {
        return lookup(parent, name, fresh, merge, null, CURRENT);
    }

    /**
     * The table's clock now: take it before resolving a name, and pass it to {@link #lookup}, so
     * that a result computed before a change is never merged after it.
     */
    public long stamp() {
        return clock;
    }

    /**
     * Records one lookup of {@code name} in {@code parent} and returns its node, or null when
     * {@code fresh} may be stale: it was resolved from the clock's {@code resolvedAt}
     * ({@link #stamp}), and since then the name's node or the node a link key joins has changed
     * through {@link #update}, or the parent's names have changed (a name moved, removed or
     * linked, a child freed). The caller then resolves again; {@link #CURRENT} never conflicts.
     *
     * <p>When the name already has a node, {@code merge(old, fresh)} gives the payload to keep,
     * or null when the name now denotes something else: then the old node leaves the name (it
     * lives on under its id until forgotten) and a new node id is made. A non-null
     * {@code linkKey} says the object may have other names (a hard link): a name new to the
     * table joins the node that has this key and still has a name, if {@code merge} accepts it,
     * so the kernel sees one inode.
     */
    public Node<T> lookup(Node<T> parent, String name, T fresh, BinaryOperator<T> merge, Object linkKey,
                          long resolvedAt) {
        List<Node<T>> check;
        Node<T> result;
        synchronized (lock) {
            Node<T> node = parent.children == null ? null : parent.children.get(name);
            if (parent.changedAt > resolvedAt || node != null && node.changedAt > resolvedAt
                    || isStaleLink(linkKey, resolvedAt)) {
                return null;
            }
            T kept = node == null ? null : merge.apply(node.payload(), fresh);
            if (kept != null) { // the usual case, the name's node again: nothing to allocate or free
                node.setPayload(kept);
                setLinkKey(node, linkKey);
                node.lookups++;
                return node;
            }
            check = new ArrayList<>(1);
            result = lookupNew(parent, name, node, fresh, merge, linkKey, check);
            result.lookups++;
        }
        settle(check);
        return result;
    }

    private boolean isStaleLink(Object linkKey, long resolvedAt) {
        Node<T> linked = linkKey == null ? null : byLinkKey.get(linkKey);
        return linked != null && linked.changedAt > resolvedAt;
    }

    /**
     * Changes {@code node}'s payload to {@code change(current)}: the one way a payload changes
     * other than by lookup. Lookups resolved before this are refused (see {@link #lookup}).
     * {@code change} runs under the table's lock: it must be quick and make no system call.
     */
    public T update(Node<T> node, UnaryOperator<T> change) {
        synchronized (lock) {
            T now = change.apply(node.payload());
            node.setPayload(now);
            changed(node);
            return now;
        }
    }

    /**
     * Marks {@code node} changed, at a new clock tick. Its directory is not: a lookup of a sibling
     * stays valid, and a lookup of this name finds the node and its tick (once the node is freed,
     * the free marks the directory).
     */
    private void changed(Node<T> node) {
        long t = clock + 1;
        clock = t;
        node.changedAt = t;
    }

    /** Marks directory {@code dir}'s names changed, at a new clock tick. */
    private void namesChanged(Node<T> dir) {
        long t = clock + 1;
        clock = t;
        dir.changedAt = t;
    }

    /**
     * The path of {@code node}'s main name from the root ("" for the root), as it was at one
     * moment: read again when an ancestor moved meanwhile.
     */
    public String path(Node<T> node) {
        while (true) {
            int before = moves;
            if ((before & 1) == 0) {
                String path = node.pathUnchecked();
                if (moves == before) {
                    return path;
                }
            }
            Thread.onSpinWait();
        }
    }

    /** Where a node's main name is, read at one moment: the parent node, its path, the name. */
    public record Location<T>(Node<T> parent, String parentPath, String name) {
        /** The node's own path. */
        public String path() {
            return parentPath.isEmpty() ? name : parentPath + "/" + name;
        }
    }

    /** {@code node}'s main name and its parent's path, read together (see {@link #path}); not for the root. */
    public Location<T> locate(Node<T> node) {
        while (true) {
            int before = moves;
            if ((before & 1) == 0) {
                Node<T> parent = node.parent();
                String name = node.name();
                String parentPath = parent.pathUnchecked();
                if (moves == before) {
                    return new Location<>(parent, parentPath, name);
                }
            }
            Thread.onSpinWait();
        }
    }

    /** Moves {@code node}'s main name (under the lock), so that {@link #path} readers retry. */
    private void relocate(Node<T> node, Node<T> newParent, String newName) {
        moves++;
        node.moveTo(newParent, newName);
        moves++;
    }

    /** {@link #lookup} where the name has no node, or one ({@code replaced}) that merge refused. */
    private Node<T> lookupNew(Node<T> parent, String name, Node<T> replaced, T fresh, BinaryOperator<T> merge,
                              Object linkKey, List<Node<T>> check) {
        if (replaced != null) {
            removeName(replaced, parent, name, check);
        }
        if (linkKey != null) {
            Node<T> linked = byLinkKey.get(linkKey);
            T kept = linked == null ? null : merge.apply(linked.payload(), fresh);
            if (kept != null) {
                linked.setPayload(kept);
                addName(linked, parent, name, check);
                return linked;
            }
        }
        Node<T> node = new Node<>(nextId++, parent, name, fresh);
        parent.liveChildren++;
        parent.childMap().put(name, node);
        byId.put(node.id(), node);
        setLinkKey(node, linkKey);
        return node;
    }

    /**
     * A hard link: {@code node} also has {@code name} in {@code parent} now (a nameless node,
     * such as an O_TMPFILE file, gets it as its main name), and one more lookup, for the reply
     * that hands the node to the kernel again. Whatever node had that name loses it.
     */
    public void link(Node<T> node, Node<T> parent, String name, Object linkKey) {
        List<Node<T>> check = new ArrayList<>(1);
        synchronized (lock) {
            if (node.freed) {
                throw new IllegalStateException("link of freed " + node);
            }
            Node<T> other = parent.childMap().get(name);
            if (other != node) {
                if (other != null) {
                    removeName(other, parent, name, check);
                }
                addName(node, parent, name, check);
            }
            setLinkKey(node, linkKey);
            node.lookups++;
            namesChanged(parent);
        }
        settle(check);
    }

    /**
     * {@code name} in {@code parent} was removed (unlink, rmdir): a later lookup of the name
     * makes a new node. Its node lives on under its id until forgotten, and keeps its other
     * names if it has any.
     */
    public void detach(Node<T> parent, String name) {
        List<Node<T>> check = new ArrayList<>(1);
        synchronized (lock) {
            Node<T> node = parent.children == null ? null : parent.children.get(name);
            if (node != null) {
                removeName(node, parent, name, check);
            }
            namesChanged(parent);
        }
        settle(check);
    }

    /**
     * {@code oldName} in {@code oldParent} was renamed to {@code newName} in {@code newParent};
     * whatever node had that name loses it. With {@code exchange}, that node takes the old name
     * instead. Two names of one node renamed onto each other change nothing (as rename(2)).
     */
    public void move(Node<T> oldParent, String oldName, Node<T> newParent, String newName, boolean exchange) {
        List<Node<T>> check = new ArrayList<>(1);
        synchronized (lock) {
            Node<T> node = oldParent.childMap().get(oldName);
            Node<T> other = newParent.childMap().get(newName);
            if (other != node || node == null) {
                if (other != null) {
                    removeName(other, newParent, newName, check);
                }
                if (node != null) {
                    rename(node, oldParent, oldName, newParent, newName, check);
                }
                if (other != null && exchange) {
                    addName(other, oldParent, oldName, check);
                }
            }
            namesChanged(oldParent);
            namesChanged(newParent);
        }
        settle(check);
    }

    /** Adds one lookup to a node already handed out (e.g. the same node returned again). */
    public void addLookup(Node<T> node) {
        synchronized (lock) {
            if (node.freed) {
                throw new IllegalStateException("lookup of freed " + node);
            }
            node.lookups++;
        }
    }

    /** The kernel dropped {@code n} lookups of node {@code id}. Unknown ids are ignored. */
    public void forget(long id, long n) {
        List<Node<T>> check = new ArrayList<>(1);
        synchronized (lock) {
            Node<T> node = byId.get(id);
            if (node == null || node == root) {
                return;
            }
            node.lookups = Math.max(0, node.lookups - n);
            check.add(node);
        }
        settle(check);
    }

    /** The lookup count of a node (for tests and statistics). */
    public long lookups(Node<T> node) {
        synchronized (lock) {
            return node.lookups;
        }
    }

    // ---- names (all under the lock; nodes whose counts dropped go to `check`) ----

    private boolean named(Node<T> node) {
        Node<T> p = node.parent();
        return p == null || p.children != null && p.children.get(node.name()) == node;
    }

    private void setLinkKey(Node<T> node, Object linkKey) {
        if (linkKey != null && !linkKey.equals(node.linkKey)) {
            if (node.linkKey != null) {
                byLinkKey.remove(node.linkKey, node);
            }
            node.linkKey = linkKey;
            if (named(node)) {
                byLinkKey.put(linkKey, node);
            }
        }
    }

    /** Takes {@code name} in {@code p} from {@code node}; another name, if any, becomes its main one. */
    private void removeName(Node<T> node, Node<T> p, String name, List<Node<T>> check) {
        if (p.children == null || p.children.get(name) != node) {
            return;
        }
        p.children.remove(name);
        if (node.isMainName(p, name)) {
            if (node.otherNames != null && !node.otherNames.isEmpty()) {
                Node.Name<T> next = node.otherNames.remove(0);
                relocate(node, next.parent(), next.name()); // already counted in its parent
                p.liveChildren--;
                check.add(p);
            } else if (node.linkKey != null) {
                byLinkKey.remove(node.linkKey, node); // nameless: the old main name keeps its parent for the path
            }
        } else if (node.otherNames != null && node.otherNames.remove(new Node.Name<>(p, name))) {
            p.liveChildren--;
            check.add(p);
        }
    }

    /** Gives {@code node} the free name {@code name} in {@code p}: its main name if it has none. */
    private void addName(Node<T> node, Node<T> p, String name, List<Node<T>> check) {
        if (!named(node)) {
            Node<T> old = node.parent();
            relocate(node, p, name);
            if (old != p) {
                old.liveChildren--;
                p.liveChildren++;
                check.add(old);
            }
        } else {
            node.otherNameList().add(new Node.Name<>(p, name));
            p.liveChildren++;
        }
        p.childMap().put(name, node);
        if (node.linkKey != null) {
            byLinkKey.put(node.linkKey, node);
        }
    }

    private void rename(Node<T> node, Node<T> p, String name, Node<T> np, String newName, List<Node<T>> check) {
        p.children.remove(name);
        if (node.isMainName(p, name)) {
            relocate(node, np, newName);
        } else {
            List<Node.Name<T>> others = node.otherNames;
            others.set(others.indexOf(new Node.Name<>(p, name)), new Node.Name<>(np, newName));
        }
        if (p != np) {
            p.liveChildren--;
            np.liveChildren++;
            check.add(p);
        }
        np.childMap().put(newName, node);
    }

    // ---- freeing ----

    /** Frees every node in {@code check} that is no longer needed, then their parents in turn; tells onFree outside the lock. */
    private void settle(List<Node<T>> check) {
        if (check.isEmpty()) {
            return;
        }
        List<Node<T>> freed = new ArrayList<>(0);
        synchronized (lock) {
            for (int i = 0; i < check.size(); i++) {
                Node<T> n = check.get(i);
                if (n != root && !n.freed && n.lookups == 0 && n.liveChildren == 0) {
                    free(n, check);
                    freed.add(n);
                }
            }
        }
        for (Node<T> f : freed) {
            onFree.accept(f);
        }
    }

    private void free(Node<T> node, List<Node<T>> check) {
        node.freed = true;
        byId.remove(node.id());
        if (node.linkKey != null) {
            byLinkKey.remove(node.linkKey, node);
        }
        release(node, node.parent(), node.name(), check);
        if (node.otherNames != null) {
            for (Node.Name<T> other : node.otherNames) {
                release(node, other.parent(), other.name(), check);
            }
        }
    }

    private void release(Node<T> node, Node<T> p, String name, List<Node<T>> check) {
        namesChanged(p); // a lookup resolved before this must not make a node from a stale result
        p.liveChildren--;
        if (p.children != null && p.children.get(name) == node) {
            p.children.remove(name);
        }
        check.add(p);
    }
}
