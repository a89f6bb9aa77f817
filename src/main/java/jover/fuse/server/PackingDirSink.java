package jover.fuse.server;

import java.nio.ByteBuffer;
import jover.fuse.codec.Encoder;
import jover.fuse.codec.EntryOut;

/** A {@link DirSink} that packs records into a reply buffer until the kernel's size is reached. */
final class PackingDirSink implements DirSink {
    private final ByteBuffer out;
    private final int start;
    private int pos;
    private int limit;
    private boolean plus;

    PackingDirSink(ByteBuffer out, int start) {
        this.out = out;
        this.start = start;
    }

    void reset(int size, boolean plus) {
        this.pos = start;
        this.limit = start + size;
        this.plus = plus;
    }

    int length() {
        return pos - start;
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
    public boolean addPlus(String name, EntryOut entry, int type, long nextOffset) {
        if (!plus) {
            throw new IllegalStateException("READDIR takes add");
        }
        if (!fits(name)) {
            return false;
        }
        pos = Encoder.direntPlus(out, pos, entry, nextOffset, type, name);
        return true;
    }
}
