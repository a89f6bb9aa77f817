package jover.fuse.server;

import java.nio.ByteBuffer;
import jover.fuse.codec.Encoder;

/** A {@link DirSink} that packs records into a reply body until the kernel's size is reached. */
final class PackingDirSink implements DirSink {
    private final Replies replies;
    private ByteBuffer out;
    private int pos;
    private int limit;
    private boolean plus;

    PackingDirSink(Replies replies) {
        this.replies = replies;
    }

    void reset(ByteBuffer body, int size, boolean plus) {
        this.out = body;
        this.pos = 0;
        this.limit = size;
        this.plus = plus;
    }

    int length() {
        return pos;
    }

    @Override
    public boolean plus() {
        return plus;
    }

    @Override
    public boolean fits(String name) {
        int need = plus ? Encoder.direntPlusSize(name.length()) : Encoder.direntSize(name.length());
        return pos + need <= limit;
    }

    @Override
    public boolean add(String name, long ino, int type, long nextOffset) {
        if (plus) {
            throw new IllegalStateException("READDIRPLUS needs addPlus");
        }
        if (!fits(name)) {
            return false;
        }
        pos = Encoder.dirent(out, pos, ino, nextOffset, type, name);
        return true;
    }

    @Override
    public boolean addPlus(String name, EntryReply entry, int type, long nextOffset) {
        if (!plus) {
            throw new IllegalStateException("READDIR takes add");
        }
        if (!fits(name)) {
            return false;
        }
        pos = Encoder.direntPlus(out, pos, replies.entryOut(entry), nextOffset, type, name);
        return true;
    }
}
