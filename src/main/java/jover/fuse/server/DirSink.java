package jover.fuse.server;

/**
 * Where a filesystem puts directory entries for one READDIR or READDIRPLUS reply. Offsets are
 * the filesystem's own cookies: the kernel passes the last one back to continue.
 */
public interface DirSink {
    /** True when this is a READDIRPLUS reply: use {@link #addPlus}. */
    boolean plus();

    /** Whether an entry with a name of {@code name.length()} bytes still fits. Check before a lookup. */
    boolean fits(String name);

    /** Adds a plain entry; false (and nothing added) when it does not fit. */
    boolean add(String name, long ino, int type, long nextOffset);

    /**
     * Adds an entry with attributes. An entry with a node id counts as one lookup of that node,
     * so the filesystem must only look up entries that {@link #fits} said would fit.
     */
    boolean addPlus(String name, EntryReply entry, int type, long nextOffset);
}
