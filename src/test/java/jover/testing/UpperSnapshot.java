package jover.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import jover.sys.DirEntry;
import jover.sys.ErrnoException;
import jover.sys.Raw;
import jover.sys.Stat;
import jover.sys.Sys;

/**
 * The on-disk format of an upper directory (read on the host, never through a mount): per path
 * the kind of entry ("whiteout" for a character device 0/0, "xwhiteout" for a zero-size file with
 * an overlay whiteout xattr, else the type letter of {@link TreeSnapshot}) and its overlay
 * xattrs ({@code trusted.overlay.*} and {@code user.overlay.*}): values of the ones whose value
 * is the format (opaque, impure, redirect, ...), only the presence of those that hold file
 * handles (origin, upper), which differ between two copies of the same tree; the upper root's
 * uuid is left out.
 */
public final class UpperSnapshot {
    /** Overlay xattrs whose value is a file handle or uuid: compared by presence only. */
    private static final List<String> PRESENCE_ONLY = List.of("origin", "upper", "fsverity");

    /**
     * Left out: kernel overlayfs (uuid=auto) writes a uuid on the upper root at its first mount;
     * it identifies the overlay, not the tree, and is added on any later kernel mount.
     */
    private static final List<String> IGNORED = List.of("uuid");

    private final SortedMap<String, String> entries;

    private UpperSnapshot(SortedMap<String, String> entries) {
        this.entries = Collections.unmodifiableSortedMap(entries);
    }

    /** path ("" for the root) to "kind [xattr=value ...]". */
    public SortedMap<String, String> entries() {
        return entries;
    }

    public static UpperSnapshot of(Path upper) {
        SortedMap<String, String> out = new TreeMap<>();
        walk(Raw.of(upper), "", out);
        return new UpperSnapshot(out);
    }

    private static void walk(String root, String rel, SortedMap<String, String> out) {
        String path = rel.isEmpty() ? root : root + "/" + rel;
        Stat st;
        try {
            st = Sys.lstat(path);
        } catch (ErrnoException e) {
            out.put(rel, "error " + e.getMessage());
            return;
        }
        StringBuilder b = new StringBuilder();
        List<String> xattrs = overlayXattrs(path);
        char type = TreeSnapshot.typeChar(st.mode());
        if (st.isCharDevice00()) {
            b.append("whiteout");
        } else if (type == 'f' && st.size() == 0 && xattrs.stream().anyMatch(x -> x.contains("overlay.whiteout"))) {
            b.append("xwhiteout");
        } else {
            b.append(type);
        }
        for (String x : xattrs) {
            b.append(' ').append(x);
        }
        out.put(rel, b.toString());
        if (st.isDir()) {
            try {
                List<String> names = new ArrayList<>();
                for (DirEntry d : Sys.listDir(path)) {
                    if (!d.isDotOrDotDot()) {
                        names.add(d.name());
                    }
                }
                Collections.sort(names);
                for (String n : names) {
                    walk(root, TreeSpec.child(rel, n), out);
                }
            } catch (ErrnoException e) {
                out.put(rel, b + " (listing failed: " + e.getMessage() + ")");
            }
        }
    }

    private static List<String> overlayXattrs(String path) {
        List<String> out = new ArrayList<>();
        List<String> names;
        try {
            names = Sys.llistxattr(path);
        } catch (ErrnoException e) {
            return out;
        }
        for (String name : new TreeSet<>(names)) {
            String suffix = name.startsWith("trusted.overlay.") ? name.substring("trusted.overlay.".length())
                    : name.startsWith("user.overlay.") ? name.substring("user.overlay.".length()) : null;
            if (suffix == null) {
                continue;
            }
            String prefix = name.substring(0, name.length() - suffix.length());
            if (IGNORED.contains(suffix)) {
                continue;
            }
            if (PRESENCE_ONLY.contains(suffix)) {
                out.add(prefix + suffix);
                continue;
            }
            try {
                byte[] v = Sys.lgetxattr(path, name);
                out.add(prefix + suffix + "=" + printable(v));
            } catch (ErrnoException e) {
                out.add(prefix + suffix + "=?" + e.getMessage());
            }
        }
        return out;
    }

    private static String printable(byte[] v) {
        for (byte c : v) {
            if (c < 0x21 || c > 0x7e) {
                return "0x" + HexFormat.of().formatHex(v);
            }
        }
        return new String(v, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Readable differences, empty when equal. */
    public String diff(UpperSnapshot other, String thisName, String otherName) {
        TreeSet<String> paths = new TreeSet<>(entries.keySet());
        paths.addAll(other.entries.keySet());
        StringBuilder b = new StringBuilder();
        for (String p : paths) {
            String a = entries.get(p);
            String o = other.entries.get(p);
            if (!Objects.equals(a, o)) {
                b.append("  /").append(Raw.display(p)).append("\n    ").append(thisName).append(": ")
                        .append(a == null ? "(absent)" : a).append("\n    ").append(otherName).append(": ")
                        .append(o == null ? "(absent)" : o).append('\n');
            }
        }
        return b.toString();
    }

    /** One line per path. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        entries.forEach((p, d) -> b.append("  /").append(Raw.display(p)).append(": ").append(d).append('\n'));
        return b.toString();
    }
}
