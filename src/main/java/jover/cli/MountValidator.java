package jover.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import jover.overlay.Owners;
import jover.session.MountConfig;
import jover.sys.Linux;
import jover.sys.ProcessCalls;

/**
 * Turns gathered {@link MountOptions} into a {@link MountConfig}, or refuses with one line saying
 * what is wrong and what to do. Checks the layers, the mount point, then the host (root, /dev/fuse).
 * Layer roots and the mount point are made absolute and their symlinks resolved here, once.
 */
final class MountValidator {

    /** What the validator asks of the host; tests substitute parts of it. */
    record Host(IntSupplier euid, Path fuseDevice, Path mountInfo) {
        static Host system() {
            return new Host(ProcessCalls::geteuid, Path.of("/dev/fuse"), Path.of("/proc/self/mountinfo"));
        }
    }

    private final Host host;

    MountValidator(Host host) {
        this.host = host;
    }

    /**
     * Validates a mount request. {@code source} is the mount source ("jover" unless one was given),
     * {@code mountPoint} the target as given on the command line.
     */
    MountConfig validate(MountOptions o, String source, String mountPoint, boolean foreground, boolean debug)
            throws InvalidOption {
        if (o.lowerDirs == null) {
            throw new InvalidOption("no lower layer given: add -o lowerdir=DIR[:DIR...] (topmost first)");
        }
        if (o.upperDir != null && o.workDir == null) {
            throw new InvalidOption("upperdir needs a workdir: add -o workdir=DIR, an empty directory on the upper's "
                    + "filesystem");
        }
        if (o.workDir != null && o.upperDir == null) {
            throw new InvalidOption("workdir given without upperdir: add -o upperdir=DIR, or drop workdir for a "
                    + "read-only mount");
        }
        List<Path> lowers = new ArrayList<>();
        for (String l : o.lowerDirs) {
            lowers.add(directory("lower layer", l));
        }
        Optional<Path> upper = Optional.empty();
        Optional<Path> work = Optional.empty();
        if (o.upperDir != null) {
            Path u = directory("upperdir", o.upperDir);
            Path w = directory("workdir", o.workDir);
            checkUpperAndWork(lowers, u, w);
            upper = Optional.of(u);
            work = Optional.of(w);
        }
        Path target = mountPoint(mountPoint);
        checkHost();
        return new MountConfig(source, lowers, upper, work, target, foreground || debug, debug,
                o.readOnly, o.userXattr, o.allowOther, o.defaultPermissions, o.suid, o.dev, o.exec, o.noatime,
                o.timeoutSeconds, o.threads, o.passthrough, owners(o), o.warnings());
    }

    /** The owner mapping asked for; squash_to_uid and squash_to_gid take precedence over squash_to_root. */
    private static Owners owners(MountOptions o) {
        long squashUid = o.squashUid >= 0 ? o.squashUid : o.squashRoot ? 0 : -1;
        long squashGid = o.squashGid >= 0 ? o.squashGid : o.squashRoot ? 0 : -1;
        return new Owners(o.uidRanges, o.gidRanges, squashUid, squashGid, overflowId("overflowuid"),
                overflowId("overflowgid"));
    }

    /** The kernel's id for an owner it cannot map (65534 unless changed). */
    private static long overflowId(String name) {
        try {
            // readAllLines: Files.readString trusts the size /proc reports and reads one byte
            return Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel", name)).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return 65534;
        }
    }

    private static void checkUpperAndWork(List<Path> lowers, Path upper, Path work) throws InvalidOption {
        if (lowers.contains(upper)) {
            throw new InvalidOption("upperdir " + upper + " is also a lower layer: use a separate directory for the upper");
        }
        if (lowers.contains(work)) {
            throw new InvalidOption("workdir " + work + " is also a lower layer: use a separate, empty directory");
        }
        if (upper.equals(work)) {
            throw new InvalidOption("upperdir and workdir are the same directory " + upper
                    + ": use two sibling directories (e.g. upper/ and work/)");
        }
        if (work.startsWith(upper)) {
            throw new InvalidOption("workdir " + work + " is inside upperdir " + upper
                    + ": use two sibling directories (e.g. upper/ and work/)");
        }
        if (upper.startsWith(work)) {
            throw new InvalidOption("upperdir " + upper + " is inside workdir " + work
                    + ": use two sibling directories (e.g. upper/ and work/)");
        }
        if (device(upper) != device(work)) {
            throw new InvalidOption("workdir " + work + " is on another filesystem than upperdir " + upper
                    + ": put workdir on the upper's filesystem (e.g. a sibling of upperdir)");
        }
    }

    private static long device(Path p) throws InvalidOption {
        try {
            return ((Number) Files.getAttribute(p, "unix:dev")).longValue();
        } catch (IOException e) {
            throw new InvalidOption("cannot stat " + p + ": " + reason(e));
        }
    }

    /** Absolute, symlink-resolved directory named {@code raw}; {@code what} names it in messages. */
    private static Path directory(String what, String raw) throws InvalidOption {
        Path p = absolute(what, raw);
        if (!Files.exists(p)) {
            String hint = Files.isSymbolicLink(p) ? " (it is a dangling symlink)" : "";
            throw new InvalidOption(what + " " + p + " does not exist" + hint + ": create it or correct the path");
        }
        if (!Files.isDirectory(p)) {
            throw new InvalidOption(what + " " + p + " is not a directory: give a directory");
        }
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new InvalidOption("cannot resolve " + what + " " + p + ": " + reason(e));
        }
    }

    private static Path absolute(String what, String raw) throws InvalidOption {
        try {
            return Path.of(raw).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new InvalidOption(what + " '" + raw + "' is not a valid path: " + e.getReason());
        }
    }

    private Path mountPoint(String raw) throws InvalidOption {
        Path given = absolute("mount point", raw);
        // Checked before anything stats the path: stat() on a dead FUSE mount hangs.
        refuseMounted(given);
        Path real = directory("mount point", raw);
        if (!real.equals(given)) {
            refuseMounted(real);
        }
        return real;
    }

    private void refuseMounted(Path p) throws InvalidOption {
        if (mountPoints().contains(p.toString())) {
            throw new InvalidOption("mount point " + p + " is already mounted: unmount it first (jover umount " + p + ")");
        }
    }

    /** The mount points in mountinfo (field 5), with the kernel's octal escapes undone. */
    List<String> mountPoints() throws InvalidOption {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(host.mountInfo());
        } catch (IOException e) {
            throw new InvalidOption("cannot read " + host.mountInfo() + " (" + reason(e) + "): is /proc mounted?");
        }
        List<String> points = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.ISO_8859_1).split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                points.add(unescapeMountInfo(fields[4]));
            }
        }
        return points;
    }

    /** Undoes mountinfo's {@code \ooo} escapes (space, tab, newline, backslash); the bytes are UTF-8. */
    static String unescapeMountInfo(String raw) {
        byte[] out = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && isOctal(raw, i + 1) && isOctal(raw, i + 2) && isOctal(raw, i + 3)) {
                out[n++] = (byte) Integer.parseInt(raw.substring(i + 1, i + 4), 8);
                i += 3;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static boolean isOctal(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
    }

    private void checkHost() throws InvalidOption {
        if (host.euid().getAsInt() != 0) {
            throw new InvalidOption("rootless mode is not available yet; run as root");
        }
        Path dev = host.fuseDevice();
        if (!Files.exists(dev)) {
            throw new InvalidOption(dev + " does not exist: load the fuse module (modprobe fuse)");
        }
        try {
            int mode = ((Number) Files.getAttribute(dev, "unix:mode")).intValue();
            if ((mode & Linux.S_IFMT) != Linux.S_IFCHR) {
                throw new InvalidOption(dev + " is not a character device: load the fuse module (modprobe fuse)");
            }
        } catch (IOException e) {
            throw new InvalidOption(dev + " cannot be examined (" + reason(e) + "): load the fuse module (modprobe fuse)");
        }
        try {
            // Opening is the whole check; the daemon opens its own.
            Files.newByteChannel(dev, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            throw new InvalidOption(dev + " cannot be opened (" + reason(e) + "): load the fuse module (modprobe fuse)");
        }
    }

    /** The operating system's reason for a failed file operation, without exception names. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fse) {
            if (fse.getReason() != null) {
                return fse.getReason();
            }
            if (e instanceof NoSuchFileException) {
                return "No such file or directory";
            }
            if (e instanceof AccessDeniedException) {
                return "Permission denied";
            }
        }
        String m = e.getMessage();
        return m != null ? m : "I/O error";
    }
}
