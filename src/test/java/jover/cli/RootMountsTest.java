package jover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.ProcessCalls;
import jover.sys.Raw;
import jover.sys.Sys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that need real mounts (tmpfs, as root): workdir on another filesystem, and
 * {@code jover umount} against a busy, a lazy and a missing mount.
 */
class RootMountsTest {

    @TempDir
    Path tmp;
    private final List<Path> mounted = new ArrayList<>();

    @BeforeEach
    void needRoot() {
        assumeTrue(ProcessCalls.geteuid() == 0, "these tests mount tmpfs and need root");
    }

    @AfterEach
    void unmountLeftovers() {
        for (Path p : mounted) {
            try {
                Sys.umount(Raw.of(p), Linux.MNT_DETACH);
            } catch (ErrnoException e) {
                // already gone
            }
        }
    }

    private Path tmpfs(String name) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve(name)).toRealPath();
        Sys.mount("tmpfs", Raw.of(dir), "tmpfs", 0, "size=1m");
        mounted.add(dir);
        return dir;
    }

    private static boolean isMounted(Path p) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .anyMatch(l -> l.split(" ")[4].equals(p.toString()));
    }

    private static long dev(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:dev")).longValue();
    }

    private static MainTest.Run run(String... args) {
        return MainTest.Run.of(MainTest.ROOT, args);
    }

    @Test
    void workdirOnAnotherFilesystem() throws Exception {
        Path l1 = Files.createDirectory(tmp.resolve("l1")).toRealPath();
        Path upper = Files.createDirectory(tmp.resolve("upper")).toRealPath();
        Path mnt = Files.createDirectory(tmp.resolve("mnt")).toRealPath();
        Path other = tmpfs("other");
        Path work = Files.createDirectory(other.resolve("work"));
        assertTrue(dev(work) != dev(upper), "test setup: tmpfs has its own st_dev");
        String m = run("-o", "lowerdir=" + l1 + ",upperdir=" + upper + ",workdir=" + work, mnt.toString()).refused();
        assertEquals("jover: workdir " + work + " is on another filesystem than upperdir " + upper
                + ": put workdir on the upper's filesystem (e.g. a sibling of upperdir)", m);
    }

    @Test
    void mountPointAlreadyMounted_realMount() throws Exception {
        Path l1 = Files.createDirectory(tmp.resolve("l1")).toRealPath();
        Path target = tmpfs("target");
        assertEquals("jover: mount point " + target + " is already mounted: unmount it first (jover umount "
                + target + ")", run("-o", "lowerdir=" + l1, target.toString()).refused());
    }

    @Test
    void umount_unmounts() throws Exception {
        Path target = tmpfs("target");
        MainTest.Run r = run("umount", target.toString()).clean();
        assertEquals(0, r.exit, r.err);
        assertEquals("", r.err);
        assertFalse(isMounted(target));
    }

    @Test
    void umount_busy_suggestsLazy_thenLazyDetaches() throws Exception {
        Path target = tmpfs("target");
        try (FileChannel open = FileChannel.open(target.resolve("f"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            String m = run("umount", target.toString()).refused();
            assertEquals("jover: " + target + " is busy: close the files and shells using it, or detach it "
                    + "anyway with 'jover umount --lazy " + target + "'", m);
            assertTrue(isMounted(target));
            MainTest.Run lazy = run("umount", "--lazy", target.toString()).clean();
            assertEquals(0, lazy.exit, lazy.err);
            assertFalse(isMounted(target));
            assertTrue(open.isOpen());
        }
    }

    @Test
    void umount_lazyShortOption() throws Exception {
        Path target = tmpfs("target");
        MainTest.Run r = run("umount", "-l", target.toString()).clean();
        assertEquals(0, r.exit, r.err);
        assertFalse(isMounted(target));
    }

    @Test
    void umount_notAMount() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("plain")).toRealPath();
        assertEquals("jover: " + dir + " is not a mount point: nothing to unmount",
                run("umount", dir.toString()).refused());
    }

    @Test
    void umount_missing() {
        Path missing = tmp.resolve("missing");
        assertEquals("jover: " + missing + " does not exist: check the path",
                run("umount", missing.toString()).refused());
    }

    @Test
    void umount_relativePath() throws Exception {
        Path target = tmpfs("target");
        String rel = Path.of("").toAbsolutePath().relativize(target).toString();
        MainTest.Run r = run("umount", rel).clean();
        assertEquals(0, r.exit, r.err);
        assertFalse(isMounted(target));
    }

    @Test
    void umount_usage() {
        String m = run("umount").usage();
        assertTrue(m.contains("MOUNTPOINT"), m);
        MainTest.Run r = run("umount", "a", "b");
        r.usage();
        assertNull(r.served);
        assertTrue(r.err.contains("Try 'jover umount --help'"), r.err);
    }
}
