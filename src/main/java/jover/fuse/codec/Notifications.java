package jover.fuse.codec;

import java.nio.ByteBuffer;
import jover.fuse.abi.Fuse;

/**
 * Messages jover sends the kernel unasked, written to /dev/fuse as whole messages: an out
 * header with unique 0 and the notification code in its error field, then the code's struct.
 * Each method returns the message's length, or -1 when it does not fit in {@code b}.
 */
public final class Notifications {
    /** struct fuse_notify_inval_entry_out: parent, namelen, flags (then the name and a NUL). */
    private static final int INVAL_ENTRY_SIZE = 16;
    /** struct fuse_notify_inval_inode_out: ino, off, len. */
    private static final int INVAL_INODE_SIZE = 24;

    private Notifications() {
    }

    /** NOTIFY_INVAL_ENTRY: forget the cached entry {@code name} (a raw string) in directory {@code parent}. */
    public static int invalEntry(ByteBuffer b, long parent, String name) {
        int n = name.length();
        int len = Fuse.OUT_HEADER_SIZE + INVAL_ENTRY_SIZE + n + 1;
        if (len > b.capacity()) {
            return -1;
        }
        int off = Encoder.outHeader(b, 0, len, Fuse.NOTIFY_INVAL_ENTRY, 0);
        b.putLong(off, parent);
        b.putInt(off + 8, n);
        b.putInt(off + 12, 0);
        int end = Encoder.raw(b, off + INVAL_ENTRY_SIZE, name);
        b.put(end, (byte) 0);
        return len;
    }

    /**
     * NOTIFY_INVAL_INODE: forget the cached attributes of node {@code nodeid} and, with
     * {@code offset} 0 or more, its cached data from there ({@code length} 0: to the end);
     * a negative offset drops the attributes only.
     */
    public static int invalInode(ByteBuffer b, long nodeid, long offset, long length) {
        int len = Fuse.OUT_HEADER_SIZE + INVAL_INODE_SIZE;
        int off = Encoder.outHeader(b, 0, len, Fuse.NOTIFY_INVAL_INODE, 0);
        b.putLong(off, nodeid);
        b.putLong(off + 8, offset);
        b.putLong(off + 16, length);
        return len;
    }
}
