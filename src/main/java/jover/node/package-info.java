/**
 * The kernel-visible node table: node ids handed out by LOOKUP (monotonic, never reused), their
 * lookup counts (raised by every reply that hands a node id to the kernel, lowered by FORGET and
 * BATCH_FORGET), and the tree of names that lets a later LOOKUP of the same name return the same
 * node. A node may have several names (hard links: a link key groups the names of one file).
 * Knows nothing of layers: each node carries an opaque payload for the layer above.
 *
 * <p>The table owns node state. A payload changes in one of two ways, both under the table's
 * lock: by a lookup, merging what it resolved, or by {@link jover.node.NodeTable#update}, the
 * layer above's own changes (a copy-up). Every update and every name change advances the
 * table's clock; a lookup passes the clock it read before resolving, and one resolved before a
 * change of its directory or node is refused (the caller resolves again), so a stale result never
 * overwrites a newer one. Paths are read with {@link jover.node.NodeTable#path} and
 * {@link jover.node.NodeTable#locate}, consistent while ancestors move (a seqlock).
 *
 * <p>Locking: one lock guards counts, names and payloads; it is the innermost lock of jover.
 * Every operation under it is a few field and map updates: no system call and no other lock.
 * {@link jover.node.BackingIds} has its own monitor (see its doc for where it stands in the
 * order).
 */
package jover.node;
