package jover.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import jover.sys.DirEntry;
import jover.sys.ErrnoException;
import jover.sys.Raw;
import jover.sys.Stat;
import jover.sys.Sys;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Per-test temp directories and mounts, released by JUnit on its own thread after each test,
 * so that cleanup runs even when the test thread is stuck on a dead mount (use
 * {@code @Timeout(threadMode = SEPARATE_THREAD)}). Mounts close in reverse order, then the temp
 * directories are deleted, but never while anything is still mounted below them, and never
 * across a mount or through a symlink.
 *
 * <pre>
 * &#64;RegisterExtension final MountFixture fx = new MountFixture();
 * </pre>
 */
public final class MountFixture implements AfterEachCallback {
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final List<Path> dirs = new ArrayList<>();

    /** A new empty directory (mode 0755, so callers other than root can reach what it holds). */
    public synchronized Path newDir(String prefix) throws IOException {
        Path d = Files.createTempDirectory("jover-" + prefix + "-").toRealPath();
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        dirs.add(d);
        return d;
    }

    /** Closes {@code resource} after the test (before the temp directories go). */
    public synchronized <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    public JoverMount jover(List<Path> lowers, Path mountPoint) throws IOException {
        return jover(lowers, Optional.empty(), Optional.empty(), mountPoint, false);
    }

    public JoverMount jover(List<Path> lowers, Optional<Path> upper, Optional<Path> work, Path mountPoint,
            boolean userxattr) throws IOException {
        return jover(lowers, upper, work, mountPoint, userxattr, List.of());
    }

    public JoverMount jover(List<Path> lowers, Optional<Path> upper, Optional<Path> work, Path mountPoint,
            boolean userxattr, List<String> extraOptions) throws IOException {
        return track(JoverMount.mount(lowers, upper, work, mountPoint, userxattr, extraOptions));
    }

    public KernelOverlay kernel(List<Path> lowers, Optional<Path> upper, Optional<Path> work, Path mountPoint,
            boolean userxattr) throws IOException {
        return track(KernelOverlay.mount(lowers, upper, work, mountPoint, userxattr));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        cleanup();
    }

    /** Releases everything now (also called by JUnit after each test). */
    public synchronized void cleanup() throws Exception {
        Exception failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        for (Path d : dirs) {
            List<MountInfo> left = MountInfo.under(d);
            if (!left.isEmpty()) {
                System.err.println("MountFixture: not deleting " + d + ", still mounted below it: " + left);
                continue;
            }
            try {
                deleteTree(d);
            } catch (ErrnoException | RuntimeException e) {
                System.err.println("MountFixture: deleting " + d + ": " + e.getMessage());
            }
        }
        dirs.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** rm -r without following symlinks or crossing into another filesystem; names are raw bytes. */
    public static void deleteTree(Path dir) throws ErrnoException {
        String root = Raw.of(dir);
        Stat st = Sys.lstat(root);
        deleteRecursive(root, st.dev());
    }

    private static void deleteRecursive(String path, long dev) throws ErrnoException {
        Stat st = Sys.lstat(path);
        if (!st.isDir()) {
            HostCalls.unlink(path);
            return;
        }
        if (st.dev() != dev) {
            throw new IllegalStateException("refusing to cross into another filesystem at " + Raw.display(path));
        }
        for (DirEntry e : Sys.listDir(path)) {
            if (!e.isDotOrDotDot()) {
                deleteRecursive(path + "/" + e.name(), dev);
            }
        }
        HostCalls.rmdir(path);
    }
}
