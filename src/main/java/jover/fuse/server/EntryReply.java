package jover.fuse.server;

/**
 * The answer to a lookup (and to every request that makes a name): the node the kernel may
 * cache for the name, with its attributes. Node id 0 is a negative entry: the name does not
 * exist, and the kernel may remember that for the cache timeout. Every reply carrying a
 * non-zero node id counts as one lookup of that node.
 */
public record EntryReply(long nodeId, Attributes attributes) {
    /** The name does not exist (cacheable). */
    public static EntryReply negative() {
        return new EntryReply(0, Attributes.none());
    }

    /** A READDIRPLUS record the kernel must not turn into a cached entry ("." and ".."). */
    public static EntryReply uncached(Attributes attributes) {
        return new EntryReply(0, attributes);
    }
}
