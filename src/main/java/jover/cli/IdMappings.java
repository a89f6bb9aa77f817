package jover.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jover.overlay.Owners;

/**
 * The value of {@code uidmapping=} and {@code gidmapping=}, as fuse-overlayfs and
 * containers/storage write it: {@code CONTAINER:HOST:COUNT} triples joined by ':' (the lines of
 * a user namespace's uid_map on one line). Empty items are skipped, as fuse-overlayfs skips them:
 * containers/storage writes a leading ':' ({@code uidmapping=:0:100000:65536}). Ranges must not overlap on either side: the kernel
 * refuses such a uid_map too, and an id mapped twice would have no single owner.
 */
final class IdMappings {
    private static final Pattern NUMBERS = Pattern.compile(":*[0-9]{1,10}(:+[0-9]{1,10})*:*");
    private static final long IDS = 1L << 32;

    private IdMappings() {
    }

    static List<Owners.Range> parse(String key, String value) throws InvalidOption {
        String[] n = value == null ? new String[0] : value.replaceAll("^:+", "").split(":+");
        if (value == null || !NUMBERS.matcher(value).matches() || n.length % 3 != 0) {
            throw invalid(key, value, "CONTAINER:HOST:COUNT triples joined by ':', e.g. " + key
                    + "=0:100000:65536");
        }
        List<Owners.Range> ranges = new ArrayList<>();
        for (int i = 0; i < n.length; i += 3) {
            Owners.Range r = new Owners.Range(Long.parseLong(n[i]), Long.parseLong(n[i + 1]), Long.parseLong(n[i + 2]));
            if (r.count() == 0 || r.disk() + r.count() > IDS || r.shown() + r.count() > IDS) {
                throw invalid(key, value, "ranges of at least one id, within 0 to 4294967295");
            }
            for (Owners.Range o : ranges) {
                if (overlap(r.disk(), o.disk(), r.count(), o.count()) || overlap(r.shown(), o.shown(), r.count(), o.count())) {
                    throw invalid(key, value, "ranges that do not overlap (" + o.disk() + ":" + o.shown() + ":"
                            + o.count() + " and " + r.disk() + ":" + r.shown() + ":" + r.count() + " do)");
                }
            }
            ranges.add(r);
        }
        return ranges;
    }

    private static boolean overlap(long a, long b, long aCount, long bCount) {
        return a < b + bCount && b < a + aCount;
    }

    private static InvalidOption invalid(String key, String value, String expected) {
        return new InvalidOption("bad value in option '" + key + "=" + value + "': expected " + expected);
    }
}
