package jover.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node id the kernel may hold. Its parent and name say where it sits in the merged tree
 * (its path, read consistently through {@link NodeTable#path}); a hard link may give it further
 * names ({@link #otherNames}). Names and the payload change only under the table's lock, through
 * the table (rename, unlink, link, {@link NodeTable#update}). A node stays in the table while the
 * kernel holds lookups on it or while it has children in the table (so a child can always reach
 * its parent's path).
 *
 * @param <T> what the layer above keeps per node
 */
public final class Node<T> {
    /** A further name of a hard-linked node: {@code name} in {@code parent}. */
    record Name<T>(Node<T> parent, String name) {
    }

    private final long id;
    private volatile Node<T> parent;
    private volatile String name;
    private volatile T payload;
    /**
     * The table's clock when this node's payload, or (for a directory) the names in it, last
     * changed: a lookup resolved before that may be stale (see {@link NodeTable#lookup}).
     */
    long changedAt;
    long lookups;
    /** Children reachable by name; a replaced child leaves this map but stays in liveChildren. */
    Map<String, Node<T>> children;
    /** Names of nodes not yet freed that sit here (the main name even when replaced or removed). */
    int liveChildren;
    boolean freed;
    /** The hard-link key this node is found by while it has a name, or null. */
    Object linkKey;
    /** Names besides the main one (hard links), each counted in its parent's liveChildren; null when none. */
    List<Name<T>> otherNames;

    Node(long id, Node<T> parent, String name, T payload) {
        this.id = id;
        this.parent = parent;
        this.name = name;
        this.payload = payload;
    }

    public long id() {
        return id;
    }

    /** The parent node of the main name; null for the root. */
    public Node<T> parent() {
        return parent;
    }

    /** The main name in the parent (raw string); "" for the root. */
    public String name() {
        return name;
    }

    /** What the layer above keeps for this node; changed only through {@link NodeTable#update}. */
    public T payload() {
        return payload;
    }

    void setPayload(T payload) {
        this.payload = payload;
    }

    void moveTo(Node<T> newParent, String newName) {
        this.parent = newParent;
        this.name = newName;
    }

    boolean isMainName(Node<T> p, String n) {
        return parent == p && name.equals(n);
    }

    List<Name<T>> otherNameList() {
        if (otherNames == null) {
            otherNames = new ArrayList<>(1);
        }
        return otherNames;
    }

    Map<String, Node<T>> childMap() {
        // Created on first use: most nodes are files and never have children.
        if (children == null) {
            children = new HashMap<>();
        }
        return children;
    }

    /**
     * The path of the main name from the root, names joined by '/'; "" for the root. Torn when
     * an ancestor moves meanwhile: {@link NodeTable#path} retries until it is not.
     */
    String pathUnchecked() {
        Node<T> p = parent;
        if (p == null) {
            return "";
        }
        String pp = p.pathUnchecked();
        return pp.isEmpty() ? name : pp + "/" + name;
    }

    @Override
    public String toString() {
        return "Node(" + id + ", " + name + ")";
    }
}
