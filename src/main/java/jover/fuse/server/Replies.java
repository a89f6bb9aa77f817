package jover.fuse.server;

import jover.fuse.abi.Fuse;
import jover.fuse.codec.Attr;
import jover.fuse.codec.EntryOut;
import jover.sys.Stat;

/**
 * The mapping from the handler interface's types to the wire records: attributes to fuse_attr,
 * entries to fuse_entry_out with the mount's cache timeout, open replies to FOPEN_* flags.
 */
final class Replies {
    private final long timeoutSec;
    private final int timeoutNsec;

    /** @param timeoutSeconds how long the kernel may trust an entry or attributes */
    Replies(double timeoutSeconds) {
        this.timeoutSec = (long) timeoutSeconds;
        this.timeoutNsec = (int) ((timeoutSeconds - timeoutSec) * 1e9);
    }

    long timeoutSec() {
        return timeoutSec;
    }

    int timeoutNsec() {
        return timeoutNsec;
    }

    static Attr attr(Attributes a) {
        Stat st = a.stat();
        return new Attr(a.ino(), st.size(), st.blocks(), st.atimeSec(), st.mtimeSec(), st.ctimeSec(),
                st.atimeNsec(), st.mtimeNsec(), st.ctimeNsec(), st.mode(), a.nlink(), a.uid(), a.gid(),
                st.rdevEncoded(), st.blksize(), 0);
    }

    EntryOut entryOut(EntryReply e) {
        return new EntryOut(e.nodeId(), 0, timeoutSec, timeoutNsec, timeoutSec, timeoutNsec, attr(e.attributes()));
    }

    static int openFlags(OpenReply o) {
        return (o.directIo() ? Fuse.FOPEN_DIRECT_IO : 0)
                | (o.keepCache() ? Fuse.FOPEN_KEEP_CACHE : 0)
                | (o.cacheDir() ? Fuse.FOPEN_CACHE_DIR : 0)
                | (o.backingId() > 0 ? Fuse.FOPEN_PASSTHROUGH : 0);
    }

    /** SETATTR's wire fields as the handler interface's {@link SetAttr}. */
    static SetAttr setAttr(jover.fuse.codec.Request.Setattr r) {
        int v = r.valid();
        return new SetAttr(
                (v & Fuse.FATTR_FH) != 0 ? r.fh() : -1,
                (v & Fuse.FATTR_SIZE) != 0 ? r.size() : -1,
                (v & Fuse.FATTR_MODE) != 0 ? r.mode() & 07777 : -1,
                (v & Fuse.FATTR_UID) != 0 ? r.uid() : -1,
                (v & Fuse.FATTR_GID) != 0 ? r.gid() : -1,
                time(v, Fuse.FATTR_ATIME, Fuse.FATTR_ATIME_NOW, r.atime(), r.atimensec()),
                time(v, Fuse.FATTR_MTIME, Fuse.FATTR_MTIME_NOW, r.mtime(), r.mtimensec()));
    }

    private static SetAttr.Time time(int valid, int set, int now, long sec, int nsec) {
        if ((valid & set) == 0) {
            return null;
        }
        return (valid & now) != 0 ? SetAttr.Time.NOW : new SetAttr.Time(sec, nsec, false);
    }
}
