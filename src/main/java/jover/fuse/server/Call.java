package jover.fuse.server;

import java.nio.ByteBuffer;
import java.util.List;
import jover.fuse.codec.Encoder;
import jover.fuse.codec.InHeader;
import jover.fuse.codec.InitOut;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.StatFs;

/**
 * The request a worker is serving and the encoder of its reply body: who asks, about which
 * node, and methods that write one reply struct at index 0 of the body buffer and return its
 * length. One per worker, reset for every request.
 */
final class Call {
    private final Replies replies;
    private final PackingDirSink dirSink;
    private ByteBuffer body;
    private Caller caller;
    private long node;

    Call(Replies replies) {
        this.replies = replies;
        this.dirSink = new PackingDirSink(replies);
    }

    void reset(InHeader h, ByteBuffer replyBody) {
        this.caller = new Caller(h.uid(), h.gid(), h.pid());
        this.node = h.nodeid();
        this.body = replyBody.clear(); // a READ before left its limit at the data it read
    }

    Caller caller() {
        return caller;
    }

    /** The header's node id: the node the request is about (the directory, for a name). */
    long node() {
        return node;
    }

    /** The reply body, cleared and limited to {@code size} bytes (at most its capacity), for data. */
    ByteBuffer data(int size) {
        return body.clear().limit(Math.min(size, body.capacity()));
    }

    /** A directory sink packing at most {@code size} bytes of records into the body. */
    DirSink dirSink(int size, boolean plus) {
        dirSink.reset(body, Math.min(size, body.capacity()), plus);
        return dirSink;
    }

    int dirLength() {
        return dirSink.length();
    }

    int entry(EntryReply e) {
        return Encoder.entryOut(body, 0, replies.entryOut(e));
    }

    int attr(Attributes a) {
        return Encoder.attrOut(body, 0, replies.timeoutSec(), replies.timeoutNsec(), Replies.attr(a));
    }

    int open(OpenReply o) {
        return Encoder.openOut(body, 0, o.fh(), Replies.openFlags(o), o.backingId());
    }

    int created(FuseFilesystem.Created c) {
        int off = Encoder.entryOut(body, 0, replies.entryOut(c.entry()));
        OpenReply o = c.open();
        return Encoder.openOut(body, off, o.fh(), Replies.openFlags(o), o.backingId());
    }

    int init(InitOut reply) {
        return Encoder.initOut(body, 0, reply);
    }

    int raw(String raw) {
        return Encoder.raw(body, 0, raw);
    }

    int statfs(StatFs s) {
        return Encoder.kstatfs(body, 0, s.blocks(), s.bfree(), s.bavail(), s.files(), s.ffree(), s.bsize(),
                s.namelen(), s.frsize());
    }

    int written(int count) {
        return Encoder.writeOut(body, 0, count);
    }

    int lseek(long offset) {
        return Encoder.lseekOut(body, 0, offset);
    }

    int copied(long count, boolean wide) {
        return wide ? Encoder.copyFileRangeOut(body, 0, count) : Encoder.writeOut(body, 0, (int) Math.min(count,
                Integer.MAX_VALUE));
    }

    /** size 0 asks how big the value is; otherwise the value, or ERANGE when it does not fit. */
    int xattr(byte[] value, int size) throws ErrnoException {
        if (size == 0) {
            return Encoder.getxattrOut(body, 0, value.length);
        }
        if (value.length > size || value.length > body.capacity()) {
            throw new ErrnoException(Errno.ERANGE, "xattr", "size " + size);
        }
        return Encoder.bytes(body, 0, value, value.length);
    }

    /** LISTXATTR's reply: the names, each NUL-terminated. */
    int xattrNames(List<String> names, int size) throws ErrnoException {
        return xattr(joinNames(names), size);
    }

    private static byte[] joinNames(List<String> names) {
        int len = 0;
        for (String n : names) {
            len += n.length() + 1;
        }
        byte[] all = new byte[len];
        int off = 0;
        for (String n : names) {
            for (int i = 0; i < n.length(); i++) {
                all[off++] = (byte) n.charAt(i);
            }
            all[off++] = 0;
        }
        return all;
    }
}
