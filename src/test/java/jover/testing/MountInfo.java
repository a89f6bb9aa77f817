package jover.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jover.sys.Raw;

/**
 * One line of /proc/self/mountinfo. Reading this file never touches the mounts themselves, so it
 * is safe while a FUSE mount is dead (stat() of a dead mount hangs).
 *
 * @param mountPoint the mount point as a raw string, octal escapes (\040 ...) decoded
 */
public record MountInfo(int id, int parentId, int major, int minor, String mountPoint, String fsType,
        String source) {

    /** All current mounts of this process's namespace, in file order (parents before children). */
    public static List<MountInfo> read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<MountInfo> out = new ArrayList<>();
        for (String line : Raw.of(bytes).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(" ");
            int sep = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    sep = i;
                    break;
                }
            }
            if (sep < 0 || sep + 2 >= f.length) {
                continue;
            }
            String[] dev = f[2].split(":");
            out.add(new MountInfo(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(dev[0]),
                    Integer.parseInt(dev[1]), unescape(f[4]), f[sep + 1], unescape(f[sep + 2])));
        }
        return out;
    }

    /** The topmost mount at exactly this mount point (raw string), if any. */
    public static Optional<MountInfo> at(String rawMountPoint) {
        MountInfo found = null;
        for (MountInfo m : read()) {
            if (m.mountPoint.equals(rawMountPoint)) {
                found = m;
            }
        }
        return Optional.ofNullable(found);
    }

    public static Optional<MountInfo> at(Path mountPoint) {
        return at(Raw.of(mountPoint));
    }

    /** Mounts at or below this directory. */
    public static List<MountInfo> under(Path dir) {
        String prefix = Raw.of(dir);
        List<MountInfo> out = new ArrayList<>();
        for (MountInfo m : read()) {
            if (m.mountPoint.equals(prefix) || m.mountPoint.startsWith(prefix + "/")) {
                out.add(m);
            }
        }
        return out;
    }

    /** The mount point, readable. */
    public String display() {
        return Raw.display(mountPoint) + " (" + fsType + " " + major + ":" + minor + ")";
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return display();
    }
}
