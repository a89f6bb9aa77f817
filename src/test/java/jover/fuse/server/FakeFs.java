package jover.fuse.server;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jover.fuse.codec.Attr;
import jover.fuse.codec.EntryOut;
import jover.sys.Stat;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.StatFs;

/**
 * A recording filesystem for dispatch tests. Defaults: every lookup succeeds with node id
 * 1000 + the number of lookups so far; everything else answers something recognisable. Tests
 * override single methods.
 */
class FakeFs implements FuseFilesystem {
    /** One call that reached the filesystem, e.g. "forget 5 3" or "lookup 1 name". */
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final List<long[]> forgets = Collections.synchronizedList(new ArrayList<>());
    volatile Caller lastCaller;
    double timeout = 1.5;

    /**
     * Attributes with a distinct value in every field the kernel sees: size 4096, blocks 8,
     * times 11/12/13 s and 21/22/23 ns, mode 0100644, nlink 1, uid 1000, gid 100, blksize 4096.
     */
    static Attributes attr(long ino) {
        // the real file's ino, nlink, uid and gid (98, 97, 96, 95) are replaced by the reported ones
        Stat st = new Stat(98, 0100644, 97, 96, 95, 4096, 8, 4096, 11, 21, 12, 22, 13, 23, 0, 0, 0, 0);
        return new Attributes(ino, st, 1, 1000, 100);
    }

    /** {@link #attr} as fuse_attr must carry it, written out by hand. */
    static Attr wireAttr(long ino) {
        return new Attr(ino, 4096, 8, 11, 12, 13, 21, 22, 23, 0100644, 1, 1000, 100, 0, 4096, 0);
    }

    /** {@link #entry} as fuse_entry_out must carry it with the server's timeout of {@code timeout} (1.5 s). */
    static EntryOut wireEntry(long nodeid) {
        return new EntryOut(nodeid, 0, 1, 500_000_000, 1, 500_000_000, wireAttr(nodeid + 1_000_000));
    }

    static EntryReply entry(long nodeid) {
        return new EntryReply(nodeid, attr(nodeid + 1_000_000));
    }

    @Override
    public double cacheTimeout() {
        return timeout;
    }

    @Override
    public EntryReply lookup(Caller c, long parent, String name) throws ErrnoException {
        lastCaller = c;
        calls.add("lookup " + parent + " " + name);
        return entry(1000 + calls.size());
    }

    @Override
    public void forget(long nodeid, long nlookup) {
        calls.add("forget " + nodeid + " " + nlookup);
        forgets.add(new long[] {nodeid, nlookup});
    }

    @Override
    public Attributes getattr(Caller c, long nodeid, long fh) throws ErrnoException {
        calls.add("getattr " + nodeid + " " + fh);
        return attr(nodeid);
    }

    @Override
    public String readlink(Caller c, long nodeid) throws ErrnoException {
        calls.add("readlink " + nodeid);
        return "target";
    }

    @Override
    public OpenReply open(Caller c, long nodeid, int flags) throws ErrnoException {
        calls.add("open " + nodeid + " " + flags);
        return OpenReply.pageCache(77);
    }

    @Override
    public int read(Caller c, long nodeid, long fh, long offset, int size, ByteBuffer dst) throws ErrnoException {
        calls.add("read " + nodeid + " " + fh + " " + offset + " " + size);
        return 0;
    }

    @Override
    public void release(long nodeid, long fh) {
        calls.add("release " + nodeid + " " + fh);
    }

    @Override
    public OpenReply opendir(Caller c, long nodeid, int flags) throws ErrnoException {
        calls.add("opendir " + nodeid + " " + flags);
        return OpenReply.pageCache(88);
    }

    @Override
    public void readdir(Caller c, long nodeid, long fh, long offset, DirSink sink) throws ErrnoException {
        calls.add("readdir " + nodeid + " " + fh + " " + offset + " " + sink.plus());
    }

    @Override
    public void releasedir(long nodeid, long fh) {
        calls.add("releasedir " + nodeid + " " + fh);
    }

    @Override
    public StatFs statfs(Caller c, long nodeid) throws ErrnoException {
        calls.add("statfs " + nodeid);
        return new StatFs(0x65735546L, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Override
    public byte[] getxattr(Caller c, long nodeid, String name) throws ErrnoException {
        calls.add("getxattr " + nodeid + " " + name);
        throw new ErrnoException(Errno.ENODATA, "getxattr", name);
    }

    @Override
    public List<String> listxattr(Caller c, long nodeid) throws ErrnoException {
        calls.add("listxattr " + nodeid);
        return List.of();
    }

    @Override
    public void access(Caller c, long nodeid, int mask) throws ErrnoException {
        calls.add("access " + nodeid + " " + mask);
    }
}
