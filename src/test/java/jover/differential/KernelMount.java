package jover.differential;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.sys.Sys;

/**
 * Kernel overlayfs mounted nodev, as jover mounts by default (suid,nodev), so that opening a
 * device node answers the same on both (EACCES); otherwise as
 * {@link jover.testing.KernelOverlay}. close() unmounts (lazily if busy); a JVM that is shut down
 * (SIGTERM, a Surefire fork timeout) detaches the mounts still open.
 */
final class KernelMount implements AutoCloseable {
    private static final long MS_NODEV = 4;

    private static final java.util.Set<KernelMount> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (KernelMount k : LIVE) {
                try {
                    Sys.umount(k.mountPoint, Linux.MNT_DETACH);
                } catch (ErrnoException | RuntimeException e) {
                    // best effort: the JVM is going away
                }
            }
        }, "kernel-mount-emergency-cleanup"));
    }

    private final String mountPoint;
    private boolean mounted;

    private KernelMount(String mountPoint) {
        this.mountPoint = mountPoint;
    }

    static KernelMount mount(List<Path> lowers, Path upper, Path work, Path mountPoint, boolean userxattr)
            throws IOException {
        List<String> opts = new ArrayList<>();
        if (userxattr) {
            opts.add("userxattr");
        }
        List<String> l = new ArrayList<>();
        for (Path p : lowers) {
            l.add(escape(p));
        }
        opts.add("lowerdir=" + String.join(":", l));
        opts.add("upperdir=" + escape(upper));
        opts.add("workdir=" + escape(work));
        Files.createDirectories(mountPoint);
        KernelMount k = new KernelMount(Raw.of(mountPoint.toRealPath()));
        String data = String.join(",", opts);
        try {
            Sys.mount("overlay", k.mountPoint, "overlay", MS_NODEV, data);
        } catch (ErrnoException e) {
            throw new IOException("mount -t overlay -o nodev," + data + " " + mountPoint + ": "
                    + e.getMessage(), e);
        }
        k.mounted = true;
        LIVE.add(k);
        return k;
    }

    private static String escape(Path p) {
        String s = Raw.of(p.toAbsolutePath());
        if (s.contains(",")) {
            throw new IllegalArgumentException("comma in layer path " + p);
        }
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }

    @Override
    public void close() throws IOException {
        if (!mounted) {
            return;
        }
        mounted = false;
        LIVE.remove(this);
        try {
            Sys.umount(mountPoint, 0);
        } catch (ErrnoException e) {
            try {
                Sys.umount(mountPoint, Linux.MNT_DETACH);
            } catch (ErrnoException e2) {
                e.addSuppressed(e2);
            }
            throw new IOException("umount " + Raw.display(mountPoint) + ": " + e.getMessage(), e);
        }
    }
}
