package jover.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;

/**
 * Node ids and lookup counts (see the package doc for the contract and the lock).
 *
 * @param <T> the payload kept per node
 */
public final class NodeTable<T> {
    public static final long ROOT_ID = 1;

    private final Object lock = new Object();
    private final ConcurrentHashMap<Long, Node<T>> byId = new ConcurrentHashMap<>();
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

    /** Live nodes, the root included. */
    public int size() {
        return byId.size();
    }

    /**
     * Records one lookup of {@code name} in {@code parent} and returns its node. When the name
     * already has a node, {@code merge(old, fresh)} gives the payload to keep, or null when the
     * name now denotes something else: then the old node leaves the name (it lives on under its
     * id until forgotten) and a new node id is made.
     */
    public Node<T> lookup(Node<T> parent, String name, T fresh, BinaryOperator<T> merge) {
        synchronized (lock) {
            Map<String, Node<T>> children = parent.childMap();
            Node<T> node = children.get(name);
            if (node != null) {
                T kept = merge.apply(node.payload(), fresh);
                if (kept != null) {
                    node.setPayload(kept);
                    node.lookups++;
                    return node;
                }
                children.remove(name); // the old node keeps its parent for its path
            }
            node = new Node<>(nextId++, parent, name, fresh);
            node.lookups = 1;
            parent.liveChildren++;
            children.put(name, node);
            byId.put(node.id(), node);
            return node;
        }
    }

    /**
     * The name of {@code node} was removed (unlink, rmdir): a later lookup of the name makes a
     * new node. The node itself lives on under its id until forgotten.
     */
    public void detach(Node<T> node) {
        synchronized (lock) {
            unname(node);
        }
    }

    /**
     * {@code node} was renamed to {@code newName} in {@code newParent}; whatever node had that
     * name loses it. With {@code exchange}, that node takes {@code node}'s old place instead.
     */
    public void move(Node<T> node, Node<T> newParent, String newName, boolean exchange) {
        List<Node<T>> freed = new ArrayList<>(1);
        synchronized (lock) {
            Node<T> oldParent = node.parent();
            String oldName = node.name();
            Node<T> other = newParent.childMap().get(newName);
            unname(node);
            if (other != null) {
                unname(other);
            }
            place(node, newParent, newName);
            if (other != null && exchange) {
                place(other, oldParent, oldName);
            }
            freeIfUnused(oldParent, freed);
        }
        for (Node<T> f : freed) {
            onFree.accept(f);
        }
    }

    private void unname(Node<T> node) {
        Node<T> parent = node.parent();
        if (parent != null && parent.children != null && parent.children.get(node.name()) == node) {
            parent.children.remove(node.name());
        }
    }

    /** Moves {@code node} under {@code parent} as {@code name}, keeping both parents' live-child counts. */
    private void place(Node<T> node, Node<T> parent, String name) {
        Node<T> old = node.parent();
        if (old != parent) {
            old.liveChildren--;
            parent.liveChildren++;
        }
        node.moveTo(parent, name);
        parent.childMap().put(name, node);
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
        List<Node<T>> freed = new ArrayList<>(1);
        synchronized (lock) {
            Node<T> node = byId.get(id);
            if (node == null || node == root) {
                return;
            }
            node.lookups = Math.max(0, node.lookups - n);
            freeIfUnused(node, freed);
        }
        for (Node<T> f : freed) {
            onFree.accept(f);
        }
    }

    /** The lookup count of a node (for tests and statistics). */
    public long lookups(Node<T> node) {
        synchronized (lock) {
            return node.lookups;
        }
    }

    private void freeIfUnused(Node<T> node, List<Node<T>> freed) {
        while (node != null && node != root && !node.freed && node.lookups == 0 && node.liveChildren == 0) {
            node.freed = true;
            byId.remove(node.id());
            freed.add(node);
            Node<T> parent = node.parent();
            parent.liveChildren--;
            if (parent.children != null && parent.children.get(node.name()) == node) {
                parent.children.remove(node.name());
            }
            node = parent;
        }
    }
}
