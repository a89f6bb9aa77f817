package jover.writes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jover.testing.Environment;
import jover.testing.LayerWriter;
import jover.testing.MountFixture;
import jover.testing.TreeSpec;
import jover.testing.WhiteoutForm;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names that are hard links of one upper file are one inode, as in kernel overlayfs: the same
 * st_ino, a change through one name seen at once through the other (jover mounts with a day's
 * attribute timeout, so a stale cached size or nlink would show), and a lock through one name
 * excludes a locker through the other. Hard links in a lower layer are one inode only on a
 * mount without an upper; under an upper they are apart (index=off: their copy-ups are
 * different files). Every case runs on kernel overlayfs too.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HardLinksTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    private Path mount(String impl, boolean withUpper) throws Exception {
        Environment.requireFor(impl);
        Path dir = fx.newDir("links");
        TreeSpec spec = TreeSpec.builder().layer()
                .file("lf", "lower\n").put("lf2", new TreeSpec.HardLink("lf"))
                .dir("d").file("d/x", "x\n")
                .layer().file("other", "o\n") // a mount without an upper needs two layers
                .build();
        List<Path> lowers = LayerWriter.write(spec, WhiteoutForm.KERNEL, dir.resolve("layers"));
        Path mnt = dir.resolve("mnt");
        if (!withUpper) {
            return impl.equals("kernel") ? fx.kernel(lowers, Optional.empty(), Optional.empty(), mnt, false).mountPoint()
                    : fx.jover(lowers, Optional.empty(), Optional.empty(), mnt, false, List.of("timeout=86400")).mountPoint();
        }
        Path upper = dir.resolve("upper");
        Path work = dir.resolve("work");
        LayerWriter.prepareUpper(spec, upper, work);
        Files.writeString(upper.resolve("u1"), "upper\n");
        Files.createLink(upper.resolve("u2"), upper.resolve("u1")); // hard links already in the upper
        return impl.equals("kernel") ? fx.kernel(lowers, Optional.of(upper), Optional.of(work), mnt, false).mountPoint()
                : fx.jover(lowers, Optional.of(upper), Optional.of(work), mnt, false, List.of("timeout=86400"))
                .mountPoint();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "jover"})
    void linkThroughTheMount_isOneInode(String impl) throws Exception {
        Path m = mount(impl, true);
        Path x = m.resolve("d/x");
        long before = ino(x);
        Files.createLink(m.resolve("a"), x); // copies d/x up, then links
        assertEquals(ino(x), ino(m.resolve("a")), impl + ": two names, two inode numbers");
        assertEquals(before, ino(x), impl + ": the copy-up kept st_ino");
        assertEquals(2, nlink(x));
        Files.writeString(m.resolve("a"), "more\n", StandardOpenOption.APPEND);
        assertEquals(7, Files.size(x), impl + ": size through the other name is stale");
        assertArrayEquals("x\nmore\n".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(x));
        Files.move(m.resolve("a"), m.resolve("d/b"));
        assertEquals(ino(x), ino(m.resolve("d/b")), impl + ": a renamed link is still the same inode");
        Files.delete(m.resolve("d/b"));
        assertEquals(1, nlink(x), impl + ": nlink through the remaining name is stale");
        Files.writeString(x, "again\n", StandardOpenOption.APPEND);
        assertEquals("x\nmore\nagain\n", Files.readString(x));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "jover"})
    void upperHardLinks_areOneInode_andLockTogether(String impl) throws Exception {
        Path m = mount(impl, true);
        assertEquals(ino(m.resolve("u1")), ino(m.resolve("u2")));
        Files.writeString(m.resolve("u1"), "longer content\n", StandardOpenOption.TRUNCATE_EXISTING);
        assertEquals(15, Files.size(m.resolve("u2")), impl + ": size through the other name is stale");
        assertEquals(1, lockedExcludes(m.resolve("u1"), m.resolve("u2")),
                impl + ": a flock on one name of the file did not exclude one on its other name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "jover"})
    void lowerHardLinks_underAnUpper_areApart(String impl) throws Exception {
        Path m = mount(impl, true);
        assertEquals(0, lockedExcludes(m.resolve("lf"), m.resolve("lf2")),
                impl + ": lower hard links under an upper are separate inodes (their copy-ups will be)");
        Files.writeString(m.resolve("lf"), "changed\n", StandardOpenOption.APPEND);
        assertEquals("lower\n", Files.readString(m.resolve("lf2")), impl + ": copy-up breaks the lower hard link");
        assertNotEquals(ino(m.resolve("lf")), ino(m.resolve("lf2")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "jover"})
    void lowerHardLinks_withoutAnUpper_areOneInode(String impl) throws Exception {
        Path m = mount(impl, false);
        assertEquals(ino(m.resolve("lf")), ino(m.resolve("lf2")));
        assertEquals(1, lockedExcludes(m.resolve("lf"), m.resolve("lf2")),
                impl + ": lower hard links on a read-only overlay are one inode");
    }

    /**
     * Holds flock(LOCK_EX) on {@code held} in one process and tries it on {@code other} from
     * another: 1 when the second is refused, 0 when it got the lock.
     */
    private static int lockedExcludes(Path held, Path other) throws IOException, InterruptedException {
        Process holder = new ProcessBuilder("flock", "-o", "-s", held.toString(), "-c", "echo locked; exec sleep 60")
                .redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine(), "flock holder did not start");
            Process p = new ProcessBuilder("flock", "-n", "-x", other.toString(), "true")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } finally {
            holder.descendants().forEach(ProcessHandle::destroy);
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long ino(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    private static int nlink(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    }
}
