package jover.differential;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Inode numbers differ between the two mounts (different copies of the layers), but their
 * pattern must not: the same file keeps its st_ino across copy-up, rename moves it, hard links
 * share it, and two different files never share one. This keeps a one-to-one map between the
 * kernel's numbers and jover's, built from every (kernel, jover) pair observed at the same path
 * or in the same operation outcome; a pair that contradicts it is a difference. Numbers that no
 * path shows any more are forgotten (the filesystem may reuse them).
 */
final class InoMatch {
    private final Map<Long, Long> k2j = new HashMap<>();
    private final Map<Long, Long> j2k = new HashMap<>();

    /** Records one pair; a description of the contradiction, or null. */
    String observe(long k, long j) {
        Long jk = k2j.get(k);
        Long kj = j2k.get(j);
        if (jk == null && kj == null) {
            k2j.put(k, j);
            j2k.put(j, k);
            return null;
        }
        if (jk != null && jk == j) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        if (jk != null) {
            b.append("kernel st_ino ").append(k).append(" was seen with jover's ").append(jk).append(", now with ")
                    .append(j);
        } else {
            b.append("jover st_ino ").append(j).append(" was seen with kernel's ").append(kj).append(", now with ")
                    .append(k);
        }
        return b.toString();
    }

    /** The kernel number jover's {@code j} is paired with, or null. */
    Long kernelPairedWith(long j) {
        return j2k.get(j);
    }

    /** Forgets pairs neither of whose numbers is still in use. */
    void retain(Set<Long> kernelLive, Set<Long> joverLive) {
        k2j.entrySet().removeIf(e -> {
            boolean gone = !kernelLive.contains(e.getKey()) && !joverLive.contains(e.getValue());
            if (gone) {
                j2k.remove(e.getValue());
            }
            return gone;
        });
    }
}
