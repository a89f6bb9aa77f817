package jover.overlay;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.FileHandle;
import jover.sys.Linux;
import jover.sys.Stat;
import jover.sys.Sys;

/**
 * The copy-up origin xattr in kernel overlayfs's format: {@code trusted.overlay.origin} (or
 * {@code user.overlay.origin}) holding struct ovl_fb: version 0, magic 0xfb, total length,
 * flags (0: little endian), the handle type, a 16-byte filesystem uuid (zero when the lower is
 * on the upper's filesystem) and the lower file's handle bytes. An upper file with an origin
 * reports the origin's inode number, so st_ino survives copy-up.
 */
final class Origins {
    private static final int HEADER = 21;
    private static final int MAGIC = 0xfb;
    /** Cached answer "this origin does not give the inode number". */
    /** Cached for an origin that must not be reported (a lower file with several links). */
    private static final FileId NONE = new FileId(-1, -1);

    private final List<Layer> layers;
    private final String originXattr;
    private final String impureXattr;
    private final Cache<String, FileId> resolved;

    Origins(List<Layer> layers, String xattrPrefix, long cacheSize) {
        this.resolved = Caffeine.newBuilder().maximumSize(cacheSize).executor(Runnable::run).build();
        this.layers = layers;
        this.originXattr = xattrPrefix + "origin";
        this.impureXattr = xattrPrefix + "impure";
    }

    String originXattr() {
        return originXattr;
    }

    String impureXattr() {
        return impureXattr;
    }

    /** The origin value recording {@code name} in {@code lowerDir} as the source of a copy-up. */
    byte[] encode(Fd lowerDir, String name) throws ErrnoException {
        FileHandle h = Sys.nameToHandleAt(lowerDir, name);
        byte[] v = new byte[HEADER + h.bytes().length];
        v[0] = 0;
        v[1] = (byte) MAGIC;
        v[2] = (byte) v.length;
        v[3] = 0;
        v[4] = (byte) h.type();
        // uuid stays zero: jover looks origins up by trying the lower layers' filesystems
        System.arraycopy(h.bytes(), 0, v, HEADER, h.bytes().length);
        return v;
    }

    /**
     * The identity (dev, ino) an upper entry reports: its origin's when it has one that can
     * still be found among the lower layers, otherwise its own.
     */
    Entry withIdentity(Entry e, Fd parentDir, String name) throws ErrnoException {
        FileId id = originOf(parentDir, name);
        return id == null ? e : e.withIdentity(id);
    }

    /** The (dev, ino) of the origin of upper entry {@code name} in {@code parentDir}, or null. */
    FileId originOf(Fd parentDir, String name) throws ErrnoException {
        byte[] value;
        try {
            value = Sys.getxattrAt(parentDir, name, originXattr);
        } catch (ErrnoException ex) {
            if (ex.errno() == Errno.ENODATA || ex.errno() == Errno.EOPNOTSUPP) {
                return null;
            }
            throw ex;
        }
        return lookup(value);
    }

    /** Whether an upper directory is marked impure: entries in it may have origins. */
    boolean isImpure(Fd dir) throws ErrnoException {
        try {
            return Sys.fgetxattr(dir, impureXattr).length > 0;
        } catch (ErrnoException ex) {
            if (ex.errno() == Errno.ENODATA || ex.errno() == Errno.EOPNOTSUPP) {
                return false;
            }
            throw ex;
        }
    }

    /** Removes the impure mark of an upper directory; best effort, as in the kernel. */
    void clearImpure(Fd dir) {
        try {
            Sys.fremovexattr(dir, impureXattr);
        } catch (ErrnoException ignored) {
            // the mark stays: harmless, and the next readdir tries again
        }
    }

    /** The (dev, ino) of the lower file an origin value names, or null when it is not found. */
    private FileId lookup(byte[] value) {
        if (value.length < HEADER || value[0] != 0 || (value[1] & 0xff) != MAGIC || (value[2] & 0xff) != value.length) {
            return null;
        }
        String key = HexFormat.of().formatHex(value);
        FileId id = resolved.getIfPresent(key);
        if (id != null) {
            return id == NONE ? null : id;
        }
        FileHandle h = new FileHandle(value[4] & 0xff, Arrays.copyOfRange(value, HEADER, value.length));
        long triedDev = -1;
        for (Layer l : layers) {
            if (l.writable() || l.dev() == triedDev) {
                continue;
            }
            triedDev = l.dev();
            try (Fd f = Sys.openByHandle(l.root(), h, Linux.O_PATH)) {
                Stat st = Sys.stat(f);
                // A lower file with several hard links may have been copied up under each of its
                // names, to different upper files: like the kernel (index=off), those keep their
                // own inode numbers rather than share the origin's.
                id = !st.isDir() && st.nlink() > 1 ? NONE : FileId.of(st);
                resolved.put(key, id);
                return id == NONE ? null : id;
            } catch (ErrnoException ex) {
                // not on this layer's filesystem (ESTALE) or gone: try the next
            }
        }
        return null;
    }
}
