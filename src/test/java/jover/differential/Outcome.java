package jover.differential;

import java.util.ArrayList;
import java.util.List;

/**
 * What one operation gave on one mount: {@code text} ("ok", "ok DETAIL", an errno name such as
 * "ENOENT", or "skip: ..." when the safety rules kept the call from being made), the inode
 * numbers it saw (compared between mounts through {@link InoMatch}, never as numbers), and for
 * reads through a descriptor opened read-only, {@code stale}: the text the same read would give
 * from the data the descriptor showed when it was opened (see {@link DeliberateDifferences}).
 */
record Outcome(String text, List<Long> inos, String stale) {
    Outcome {
        inos = List.copyOf(inos);
    }

    static Outcome of(String text) {
        return new Outcome(text, List.of(), null);
    }

    boolean ok() {
        return text.equals("ok") || text.startsWith("ok ");
    }

    /** One line: escaped text, TAB, inode numbers, TAB, stale text or "-". */
    String wire() {
        StringBuilder b = new StringBuilder(escape(text)).append('\t');
        for (int i = 0; i < inos.size(); i++) {
            b.append(i == 0 ? "" : ",").append(inos.get(i));
        }
        return b.append('\t').append(stale == null ? "-" : "=" + escape(stale)).toString();
    }

    static Outcome fromWire(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 3) {
            return of("bad reply from the executor: " + line);
        }
        List<Long> inos = new ArrayList<>();
        if (!f[1].isEmpty()) {
            for (String s : f[1].split(",")) {
                inos.add(Long.parseLong(s));
            }
        }
        return new Outcome(unescape(f[0]), inos, f[2].equals("-") ? null : unescape(f[2].substring(1)));
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return text + (inos.isEmpty() ? "" : " ino" + inos);
    }
}
