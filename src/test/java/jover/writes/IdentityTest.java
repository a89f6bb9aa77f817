package jover.writes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jover.sys.DirEntry;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Sys;
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
 * Inode numbers and the impure mark in the kernel's way, each case on kernel overlayfs too: a
 * copy-up that cannot record its origin (a symlink under -o userxattr: user.* xattrs cannot be
 * set on symlinks) keeps the lower st_ino for as long as the mount knows the file, and readdir
 * agrees; an upper directory's impure mark goes once a readdir finds no entry that needs it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IdentityTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    private record Mounted(Path mnt, Path upper) {
    }

    private Mounted mount(String impl, boolean userxattr) throws Exception {
        Environment.requireFor(impl);
        Path dir = fx.newDir("identity");
        TreeSpec spec = TreeSpec.builder().layer()
                .symlink("b", "e")
                .dir("a").dir("a/f").file("a/f/i", "i\n")
                .build();
        WhiteoutForm form = userxattr ? WhiteoutForm.USERXATTR : WhiteoutForm.KERNEL;
        List<Path> lowers = LayerWriter.write(spec, form, dir.resolve("layers"));
        Path upper = dir.resolve("upper");
        Path work = dir.resolve("work");
        LayerWriter.prepareUpper(spec, upper, work);
        Path mnt = dir.resolve("mnt");
        Path m = impl.equals("kernel")
                ? fx.kernel(lowers, Optional.of(upper), Optional.of(work), mnt, userxattr).mountPoint()
                : fx.jover(lowers, Optional.of(upper), Optional.of(work), mnt, userxattr, List.of("timeout=86400"))
                .mountPoint();
        return new Mounted(m, upper);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "jover"})
    void symlinkCopiedUpWithoutOrigin_keepsItsInodeNumberWhileKnown(String impl) throws Exception {
        Path m = mount(impl, true).mnt();
        Path b = m.resolve("b");
        long before = ino(b);
        try (Fd root = Sys.open(m.toString(), Linux.O_RDONLY | Linux.O_DIRECTORY)) {
            Sys.chownAt(root, "b", -1, 1234); // chown -h: copies b up
        }
        assertEquals(1234, (Integer) Files.getAttribute(b, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(before, ino(b), impl + ": st_ino changed on copy-up");
        assertEquals(before, direntIno(m, "b"), impl + ": readdir's d_ino differs from st_ino");
    }

    /**
     * A hard link to that symlink: the kernel reports the upper file's number through the new
     * name and the kept lower one through the old (one inode, two numbers); jover's node has
     * one st_ino and keeps the lower one for both (deliberate difference 7).
     */
    @ParameterizedTest
    @ValueSource(strings = {"kernel", "jover"})
    void hardLinkToSymlinkCopiedUpWithoutOrigin(String impl) throws Exception {
        Mounted mt = mount(impl, true);
        Path m = mt.mnt();
        long before = ino(m.resolve("b"));
        Files.createLink(m.resolve("a/g"), m.resolve("b"));
        assertEquals(before, ino(m.resolve("b")), impl + ": the first name keeps its number");
        long upperIno = ino(mt.upper().resolve("a/g"));
        assertEquals(impl.equals("kernel") ? upperIno : before, ino(m.resolve("a/g")), impl + ": the new name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel", "jover"})
    void impureMark_goesWhenReaddirFindsNoEntryNeedingIt(String impl) throws Exception {
        Mounted mt = mount(impl, false);
        Path m = mt.mnt();
        Files.createDirectory(m.resolve("c"));
        Files.move(m.resolve("a/f/i"), m.resolve("c/g")); // a copied-up file with an origin moves in
        direntIno(m.resolve("c"), "g");
        assertTrue(impure(mt.upper().resolve("c")), impl + ": c should be impure while g is in it");
        Files.delete(m.resolve("c/g"));
        direntIno(m.resolve("c"), "none");
        assertTrue(!impure(mt.upper().resolve("c")), impl + ": c still marked impure after a readdir found nothing");
    }

    private static boolean impure(Path dir) throws Exception {
        return Sys.llistxattr(dir.toString()).contains("trusted.overlay.impure");
    }

    /** d_ino of {@code name} in a listing of {@code dir} (-1 when absent). */
    private static long direntIno(Path dir, String name) throws ErrnoException {
        for (DirEntry e : Sys.listDir(dir.toString())) {
            if (e.name().equals(name)) {
                return e.ino();
            }
        }
        return -1;
    }

    private static long ino(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
    }
}
