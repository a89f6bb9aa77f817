/**
 * The kernel-visible node table: node ids handed out by LOOKUP (monotonic, never reused), their
 * lookup counts (raised by every reply that hands a node id to the kernel, lowered by FORGET and
 * BATCH_FORGET), and the tree of names that lets a later LOOKUP of the same name return the same
 * node. A node may have several names (hard links: a link key groups the names of one file).
 * Knows nothing of layers: each node carries an opaque payload for the layer above.
 *
 * <p>Locking: one lock guards counts and the name tree. Every operation under it is a few map
 * updates; all system calls happen outside it, so it is never held across I/O.
 */
package jover.node;
