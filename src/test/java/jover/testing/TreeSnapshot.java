package jover.testing;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import jover.sys.DirEntry;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.sys.Stat;
import jover.sys.Sys;

/**
 * What a mounted tree shows, walked without following any symlink: per path (raw, relative, ""
 * for the root) type, permission bits, owner, size, content hash, link target, user.* xattrs,
 * nlink of non-directories and mtime. Inode numbers are kept apart (they differ between
 * implementations) and checked within the one mount: readdir's d_ino and d_type against lstat,
 * st_ino unique except among hard links, no name listed twice, no overlay-private xattr listed.
 * Those findings are data ({@link #anomalies()}), so each test decides what to assert.
 */
public final class TreeSnapshot {

    /**
     * One path. {@code type}: f d l p c b s, or E when lstat failed ({@code target} then holds the
     * error). size is -1 for directories and special files; nlink 0 for directories.
     */
    public record Entry(char type, int mode, int uid, int gid, long size, String sha256, String target,
            SortedMap<String, String> xattrs, int nlink, long mtimeSec, int mtimeNsec) {
        public Entry {
            xattrs = Collections.unmodifiableSortedMap(new TreeMap<>(xattrs));
        }

        public Entry withoutMtime() {
            return new Entry(type, mode, uid, gid, size, sha256, target, xattrs, nlink, 0, 0);
        }

        public String describe() {
            StringBuilder b = new StringBuilder();
            b.append(type).append(' ').append(String.format("%04o", mode)).append(' ').append(uid).append(':')
                    .append(gid);
            if (size >= 0) {
                b.append(" size=").append(size);
            }
            if (sha256 != null) {
                b.append(" sha=").append(sha256, 0, 12);
            }
            if (target != null) {
                b.append(" -> '").append(Raw.display(target)).append('\'');
            }
            if (!xattrs.isEmpty()) {
                b.append(" xattrs=").append(xattrs);
            }
            if (type != 'd') {
                b.append(" nlink=").append(nlink);
            }
            b.append(" mtime=").append(mtimeSec).append('.').append(String.format("%09d", mtimeNsec));
            return b.toString();
        }
    }

    private final SortedMap<String, Entry> entries;
    private final Map<String, Long> inos;
    private final List<String> inoMismatches;
    private final List<String> typeMismatches;
    private final List<String> duplicateNames;
    private final List<String> inoCollisions;
    private final List<String> privateXattrs;
    private final List<String> errors;
    private final List<String> phantoms;

    private TreeSnapshot(SortedMap<String, Entry> entries, Map<String, Long> inos, List<String> inoMismatches,
            List<String> typeMismatches, List<String> duplicateNames, List<String> inoCollisions,
            List<String> privateXattrs, List<String> errors, List<String> phantoms) {
        this.entries = Collections.unmodifiableSortedMap(entries);
        this.inos = Collections.unmodifiableMap(inos);
        this.inoMismatches = List.copyOf(inoMismatches);
        this.typeMismatches = List.copyOf(typeMismatches);
        this.duplicateNames = List.copyOf(duplicateNames);
        this.inoCollisions = List.copyOf(inoCollisions);
        this.privateXattrs = List.copyOf(privateXattrs);
        this.errors = List.copyOf(errors);
        this.phantoms = List.copyOf(phantoms);
    }

    /** A snapshot built from expectations (no inode numbers, no anomalies). */
    public static TreeSnapshot expected(Map<String, Entry> entries) {
        return new TreeSnapshot(new TreeMap<>(entries), Map.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of());
    }

    public SortedMap<String, Entry> entries() {
        return entries;
    }

    /** st_ino per path (empty for expected snapshots). */
    public Map<String, Long> inos() {
        return inos;
    }

    /** "path: d_ino X, st_ino Y" for each readdir record whose d_ino differs from lstat's st_ino. */
    public List<String> inoMismatches() {
        return inoMismatches;
    }

    /** readdir records whose d_type differs from lstat's type (DT_UNKNOWN counts as a mismatch). */
    public List<String> typeMismatches() {
        return typeMismatches;
    }

    /** Names a directory listed more than once. */
    public List<String> duplicateNames() {
        return duplicateNames;
    }

    /** Groups of paths sharing one st_ino that are not all hard links of one file. */
    public List<String> inoCollisions() {
        return inoCollisions;
    }

    /** trusted.* and user.overlay.* names that listxattr returned: an overlay must hide its own. */
    public List<String> privateXattrs() {
        return privateXattrs;
    }

    /** Failures while walking (listing, opening, reading, xattrs). */
    public List<String> errors() {
        return errors;
    }

    /**
     * Raw paths a directory listed whose lstat then said ENOENT. Kernel overlayfs does this for
     * whiteouts inside a directory that exists in one layer only (it passes readdir of such a
     * "pure" lower directory straight through); for jover it is a bug.
     */
    public List<String> phantoms() {
        return phantoms;
    }

    /** All findings of this one mount, empty when it is self-consistent. */
    public List<String> anomalies() {
        List<String> out = new ArrayList<>();
        inoMismatches.forEach(s -> out.add("d_ino != st_ino: " + s));
        typeMismatches.forEach(s -> out.add("d_type != type: " + s));
        duplicateNames.forEach(s -> out.add("listed twice: " + s));
        inoCollisions.forEach(s -> out.add("st_ino shared: " + s));
        privateXattrs.forEach(s -> out.add("private xattr listed: " + s));
        errors.forEach(s -> out.add("error: " + s));
        phantoms.forEach(s -> out.add("listed, but lstat says ENOENT: /" + Raw.display(s)));
        return out;
    }

    /** An anomaly without the inode numbers in it (they differ between mounts), to compare two mounts' anomalies. */
    public static String anomalyKey(String anomaly) {
        if (anomaly.startsWith("d_ino != st_ino: ")) {
            int colon = anomaly.indexOf(": d_ino ");
            return colon < 0 ? anomaly : anomaly.substring(0, colon);
        }
        if (anomaly.startsWith("st_ino shared: ino ")) {
            return "st_ino shared: " + anomaly.substring(anomaly.indexOf(": ", 16) + 2);
        }
        return anomaly;
    }

    /** Paths any of whose components has this prefix (for instance ".wh."). */
    public List<String> pathsWithNamePrefix(String prefix) {
        List<String> out = new ArrayList<>();
        for (String path : entries.keySet()) {
            for (String part : path.split("/")) {
                if (part.startsWith(prefix)) {
                    out.add(Raw.display(path));
                    break;
                }
            }
        }
        return out;
    }

    /** The same snapshot with each entry mapped. */
    public TreeSnapshot map(UnaryOperator<Entry> f) {
        SortedMap<String, Entry> m = new TreeMap<>();
        entries.forEach((k, v) -> m.put(k, f.apply(v)));
        return new TreeSnapshot(m, inos, inoMismatches, typeMismatches, duplicateNames, inoCollisions, privateXattrs,
                errors, phantoms);
    }

    /** Equality of the entries (paths and attributes, not inode numbers or anomalies). */
    public boolean sameTree(TreeSnapshot other) {
        return entries.equals(other.entries);
    }

    /** Readable differences of the entries, at most {@code max} paths; empty when equal. */
    public String diff(TreeSnapshot other, String thisName, String otherName, int max) {
        Set<String> paths = new TreeSet<>(entries.keySet());
        paths.addAll(other.entries.keySet());
        StringBuilder b = new StringBuilder();
        int n = 0;
        int total = 0;
        for (String p : paths) {
            Entry a = entries.get(p);
            Entry o = other.entries.get(p);
            if (Objects.equals(a, o)) {
                continue;
            }
            total++;
            if (n++ >= max) {
                continue;
            }
            b.append("  /").append(Raw.display(p)).append('\n');
            b.append("    ").append(thisName).append(": ").append(a == null ? "(absent)" : a.describe()).append('\n');
            b.append("    ").append(otherName).append(": ").append(o == null ? "(absent)" : o.describe()).append('\n');
        }
        if (total == 0) {
            return "";
        }
        String head = total + " differing path(s) between " + thisName + " (" + entries.size() + " paths) and "
                + otherName + " (" + other.entries.size() + " paths)" + (total > max ? ", first " + max : "")
                + ":\n";
        return head + b;
    }

    public String diff(TreeSnapshot other, String thisName, String otherName) {
        return diff(other, thisName, otherName, 50);
    }

    // ---- walking a mount ----

    /** Walks the tree at {@code root} (a mount point or any directory). */
    public static TreeSnapshot of(Path root) {
        return new Walker(Raw.of(root)).walk();
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Walker {
        private final String root;
        private final SortedMap<String, Entry> entries = new TreeMap<>();
        private final Map<String, Long> inos = new HashMap<>();
        private final List<String> inoMismatches = new ArrayList<>();
        private final List<String> typeMismatches = new ArrayList<>();
        private final List<String> duplicateNames = new ArrayList<>();
        private final List<String> inoCollisions = new ArrayList<>();
        private final List<String> privateXattrs = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private final List<String> phantoms = new ArrayList<>();
        private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);

        Walker(String root) {
            this.root = root;
        }

        private String abs(String rel) {
            return rel.isEmpty() ? root : root + "/" + rel;
        }

        TreeSnapshot walk() {
            Stat st = visit("", null);
            if (st != null && st.isDir()) {
                walkDir("");
            }
            checkInoUniqueness();
            return new TreeSnapshot(new TreeMap<>(entries), inos, inoMismatches, typeMismatches, duplicateNames,
                    inoCollisions, privateXattrs, errors, phantoms);
        }

        private void walkDir(String rel) {
            List<DirEntry> list;
            try (Fd dir = Sys.open(abs(rel), Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NOFOLLOW)) {
                list = Sys.readDir(dir);
            } catch (ErrnoException e) {
                errors.add("/" + Raw.display(rel) + ": " + e.getMessage());
                return;
            }
            Set<String> seen = new LinkedHashSet<>();
            List<String> subdirs = new ArrayList<>();
            for (DirEntry d : list) {
                if (d.isDotOrDotDot()) {
                    continue;
                }
                String child = TreeSpec.child(rel, d.name());
                if (!seen.add(d.name())) {
                    duplicateNames.add("/" + Raw.display(child));
                    continue;
                }
                Stat st = visit(child, d);
                if (st != null && st.isDir()) {
                    subdirs.add(child);
                }
            }
            for (String s : subdirs) {
                walkDir(s);
            }
        }

        /** Records one path; returns its lstat, or null when that failed. */
        private Stat visit(String rel, DirEntry record) {
            String path = abs(rel);
            String shown = "/" + Raw.display(rel);
            Stat st;
            try {
                st = Sys.lstat(path);
            } catch (ErrnoException e) {
                if (record != null && e.errno() == Errno.ENOENT) {
                    phantoms.add(rel);
                    return null;
                }
                entries.put(rel, new Entry('E', 0, 0, 0, -1, null, e.getMessage(), new TreeMap<>(), 0, 0, 0));
                errors.add(shown + ": " + e.getMessage());
                return null;
            }
            inos.put(rel, st.ino());
            if (record != null) {
                if (record.ino() != st.ino()) {
                    inoMismatches.add(shown + ": d_ino " + record.ino() + ", st_ino " + st.ino());
                }
                if (record.type() != Linux.dtype(st.mode())) {
                    typeMismatches.add(shown + ": d_type " + record.type() + ", lstat type "
                            + Linux.dtype(st.mode()));
                }
            }
            char type = typeChar(st.mode());
            long size = -1;
            String sha = null;
            String target = null;
            if (type == 'f') {
                size = st.size();
                sha = hashFile(path, st, shown);
            } else if (type == 'l') {
                size = st.size();
                target = readlink(rel, shown);
            }
            SortedMap<String, String> xattrs = xattrs(path, shown);
            int nlink = type == 'd' ? 0 : st.nlink();
            entries.put(rel, new Entry(type, st.mode() & 07777, st.uid(), st.gid(), size, sha, target, xattrs, nlink,
                    st.mtimeSec(), st.mtimeNsec()));
            return st;
        }

        private String hashFile(String path, Stat st, String shown) {
            MessageDigest md = sha256Digest();
            try (Fd fd = Sys.open(path, Linux.O_RDONLY | Linux.O_NOFOLLOW | Linux.O_NONBLOCK)) {
                Stat opened = Sys.stat(fd);
                if (!opened.isReg() || opened.ino() != st.ino()) {
                    errors.add(shown + ": opened something else (mode " + Integer.toOctalString(opened.mode())
                            + ", ino " + opened.ino() + " vs " + st.ino() + ")");
                    return "not-a-regular-file";
                }
                long off = 0;
                byte[] chunk = new byte[buf.capacity()];
                while (true) {
                    buf.clear();
                    int n = Sys.pread(fd, buf, buf.capacity(), off);
                    if (n <= 0) {
                        break;
                    }
                    buf.get(0, chunk, 0, n);
                    md.update(chunk, 0, n);
                    off += n;
                }
                if (off != st.size()) {
                    errors.add(shown + ": read " + off + " bytes, lstat size " + st.size());
                }
                return HexFormat.of().formatHex(md.digest());
            } catch (ErrnoException e) {
                errors.add(shown + ": " + e.getMessage());
                return "unreadable:" + e.errno();
            }
        }

        private String readlink(String rel, String shown) {
            String parent = TreeSpec.parentOf(rel);
            try (Fd dir = Sys.open(abs(parent), Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_NOFOLLOW)) {
                return Sys.readlinkAt(dir, TreeSpec.nameOf(rel));
            } catch (ErrnoException e) {
                errors.add(shown + ": " + e.getMessage());
                return "unreadable:" + e.errno();
            }
        }

        private SortedMap<String, String> xattrs(String path, String shown) {
            SortedMap<String, String> out = new TreeMap<>();
            List<String> names;
            try {
                names = Sys.llistxattr(path);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EOPNOTSUPP) {
                    errors.add(shown + ": " + e.getMessage());
                }
                return out;
            }
            for (String name : names) {
                if (name.startsWith("trusted.") || name.startsWith("user.overlay.")) {
                    privateXattrs.add(shown + ": " + Raw.display(name));
                }
                if (!name.startsWith("user.")) {
                    continue;
                }
                try {
                    out.put(name, HexFormat.of().formatHex(Sys.lgetxattr(path, name)));
                } catch (ErrnoException e) {
                    errors.add(shown + ": " + e.getMessage());
                    out.put(name, "unreadable:" + e.errno());
                }
            }
            return out;
        }

        private void checkInoUniqueness() {
            Map<Long, List<String>> byIno = new TreeMap<>();
            inos.forEach((p, ino) -> byIno.computeIfAbsent(ino, k -> new ArrayList<>()).add(p));
            for (Map.Entry<Long, List<String>> g : byIno.entrySet()) {
                List<String> paths = g.getValue();
                if (paths.size() < 2) {
                    continue;
                }
                boolean hardLinks = true;
                for (String p : paths) {
                    Entry e = entries.get(p);
                    if (e == null || e.type() == 'd' || e.nlink() < paths.size()) {
                        hardLinks = false;
                    }
                }
                if (!hardLinks) {
                    Collections.sort(paths);
                    List<String> shown = new ArrayList<>();
                    for (String p : paths) {
                        shown.add("/" + Raw.display(p) + " (" + entries.get(p).type() + ")");
                    }
                    inoCollisions.add("ino " + g.getKey() + ": " + String.join(", ", shown));
                }
            }
        }
    }

    static char typeChar(int mode) {
        switch (mode & Linux.S_IFMT) {
            case Linux.S_IFREG:
                return 'f';
            case Linux.S_IFDIR:
                return 'd';
            case Linux.S_IFLNK:
                return 'l';
            case Linux.S_IFIFO:
                return 'p';
            case Linux.S_IFCHR:
                return 'c';
            case Linux.S_IFBLK:
                return 'b';
            case Linux.S_IFSOCK:
                return 's';
            default:
                return '?';
        }
    }
}
