package jover.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.sys.Sys;

/** A kernel overlayfs mount, the reference jover is compared with; close() unmounts it. */
public final class KernelOverlay implements AutoCloseable {
    private final Path mountPoint;
    private final String options;
    private boolean mounted;

    private KernelOverlay(Path mountPoint, String options) {
        this.mountPoint = mountPoint;
        this.options = options;
    }

    /** Read-only overlay of {@code lowers} (topmost first). */
    public static KernelOverlay mount(List<Path> lowers, Path mountPoint, boolean userxattr) throws IOException {
        return mount(lowers, Optional.empty(), Optional.empty(), mountPoint, userxattr);
    }

    public static KernelOverlay mount(List<Path> lowers, Optional<Path> upper, Optional<Path> work, Path mountPoint,
            boolean userxattr) throws IOException {
        List<String> opts = new ArrayList<>();
        if (userxattr) {
            opts.add("userxattr");
        }
        opts.add("lowerdir=" + join(lowers));
        upper.ifPresent(u -> opts.add("upperdir=" + escape(u)));
        work.ifPresent(w -> opts.add("workdir=" + escape(w)));
        Files.createDirectories(mountPoint);
        KernelOverlay k = new KernelOverlay(mountPoint.toRealPath(), String.join(",", opts));
        try {
            Sys.mount("overlay", Raw.of(k.mountPoint), "overlay", 0, k.options);
        } catch (ErrnoException e) {
            throw new IOException("mount -t overlay -o " + k.options + " " + mountPoint + ": " + e.getMessage(), e);
        }
        k.mounted = true;
        return k;
    }

    private static String join(List<Path> dirs) {
        List<String> parts = new ArrayList<>();
        for (Path p : dirs) {
            parts.add(escape(p));
        }
        return String.join(":", parts);
    }

    private static String escape(Path p) {
        String s = Raw.of(p.toAbsolutePath());
        if (s.contains(",")) {
            throw new IllegalArgumentException("comma in layer path " + p);
        }
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }

    public Path mountPoint() {
        return mountPoint;
    }

    public String options() {
        return options;
    }

    @Override
    public void close() throws IOException {
        if (!mounted) {
            return;
        }
        mounted = false;
        try {
            Sys.umount(Raw.of(mountPoint), 0);
        } catch (ErrnoException e) {
            try {
                Sys.umount(Raw.of(mountPoint), Linux.MNT_DETACH);
            } catch (ErrnoException e2) {
                e.addSuppressed(e2);
            }
            throw new IOException("umount " + mountPoint + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "kernel overlay at " + mountPoint + " (" + options + ")";
    }
}
