package jover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import jover.session.MountConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in-process through {@link Main#run(String[], CommandContext)}: the daemon is
 * replaced by a recorder, so nothing is mounted. The host checks use /dev/null as the FUSE device
 * and a stubbed euid unless a test is about them.
 */
class MainTest {

    /** One in-process run: exit code, both outputs, and the configuration handed to the daemon. */
    static final class Run {
        final int exit;
        final String out;
        final String err;
        final MountConfig served;

        private Run(int exit, String out, String err, MountConfig served) {
            this.exit = exit;
            this.out = out;
            this.err = err;
            this.served = served;
        }

        static Run of(MountValidator.Host host, String... args) {
            return of(host, name -> null, args);
        }

        static Run of(MountValidator.Host host, java.util.function.UnaryOperator<String> env, String... args) {
            return of(host, env, config -> 0, args);
        }

        static Run of(MountValidator.Host host, java.util.function.UnaryOperator<String> env,
                java.util.function.ToIntFunction<MountConfig> daemon, String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            MountConfig[] served = new MountConfig[1];
            CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), host, config -> {
                        served[0] = config;
                        return daemon.applyAsInt(config);
                    }, env);
            int exit = Main.run(args, ctx);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                    served[0]);
        }

        /** Asserts no stack trace or exception name leaked into either output. */
        Run clean() {
            for (String s : List.of(out, err)) {
                assertFalse(s.contains("Exception"), s);
                assertFalse(s.contains("\tat "), s);
            }
            return this;
        }

        /** Asserts a refusal: exit 1, exactly one line on stderr starting "jover: ", nothing served. */
        String refused() {
            clean();
            assertEquals(1, exit, err);
            assertNull(served, "the daemon must not be called");
            assertEquals("", out);
            String[] lines = err.split("\n");
            assertEquals(1, lines.length, err);
            assertTrue(lines[0].startsWith("jover: "), err);
            return lines[0];
        }

        /** Asserts a usage error: exit 2, a "jover: " line then a "Try 'jover..." line. */
        String usage() {
            clean();
            assertEquals(2, exit, err);
            assertNull(served);
            String[] lines = err.split("\n");
            assertEquals(2, lines.length, err);
            assertTrue(lines[0].startsWith("jover: "), err);
            assertTrue(lines[1].startsWith("Try 'jover"), err);
            return lines[0];
        }

        MountConfig mounted() {
            clean();
            assertEquals(0, exit, err);
            assertNotNull(served, err);
            return served;
        }
    }

    static final MountValidator.Host ROOT = new MountValidator.Host(() -> 0, Path.of("/dev/null"),
            Path.of("/proc/self/mountinfo"));

    @TempDir
    Path tmp;
    Path l1;
    Path l2;
    Path upper;
    Path work;
    Path mnt;

    @BeforeEach
    void layers() throws IOException {
        l1 = Files.createDirectory(tmp.resolve("l1")).toRealPath();
        l2 = Files.createDirectory(tmp.resolve("l2")).toRealPath();
        upper = Files.createDirectory(tmp.resolve("upper")).toRealPath();
        work = Files.createDirectory(tmp.resolve("work")).toRealPath();
        mnt = Files.createDirectory(tmp.resolve("mnt")).toRealPath();
    }

    private String fullOptions() {
        return "lowerdir=" + l1 + ":" + l2 + ",upperdir=" + upper + ",workdir=" + work;
    }

    private static Run run(String... args) {
        return Run.of(ROOT, args);
    }

    // ---- the forms ----

    @Test
    void mountCommand_buildsTheConfig() {
        MountConfig c = run("mount", "-o", fullOptions(), mnt.toString()).mounted();
        assertEquals("jover", c.source());
        assertEquals(List.of(l1, l2), c.lowerDirs());
        assertEquals(Optional.of(upper), c.upperDir());
        assertEquals(Optional.of(work), c.workDir());
        assertEquals(mnt, c.mountPoint());
        assertFalse(c.foreground());
        assertFalse(c.debug());
        assertFalse(c.readOnly());
        assertFalse(c.mountsReadOnly());
        assertTrue(c.allowOther());
        assertTrue(c.defaultPermissions());
        assertTrue(c.suid(), "suid by default, as fuse-overlayfs and kernel overlayfs");
        assertFalse(c.dev());
        assertTrue(c.exec());
        assertFalse(c.noatime());
        assertEquals(86400.0, c.timeoutSeconds());
        assertEquals(MountOptions.defaultThreads(Runtime.getRuntime().availableProcessors()), c.threads());
        assertEquals("auto", c.passthrough());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void fuseOverlayfsForm_dashOTarget_sameAsMount() {
        MountConfig viaMount = run("mount", "-o", fullOptions(), mnt.toString()).mounted();
        MountConfig bare = run("-o", fullOptions(), mnt.toString()).mounted();
        assertEquals(viaMount, bare);
    }

    @Test
    void mountFuse3Form_sourceTargetDashO_sameAsMountWithSource() {
        MountConfig helper = run("overlay", mnt.toString(), "-o", fullOptions()).mounted();
        assertEquals("overlay", helper.source());
        MountConfig viaMount = run("mount", "overlay", mnt.toString(), "-o", fullOptions()).mounted();
        assertEquals(viaMount, helper);
        MountConfig plain = run("mount", "-o", fullOptions(), mnt.toString()).mounted();
        assertEquals(new MountConfig("overlay", plain.lowerDirs(), plain.upperDir(), plain.workDir(),
                plain.mountPoint(), plain.foreground(), plain.debug(), plain.readOnly(), plain.userXattr(),
                plain.allowOther(), plain.defaultPermissions(), plain.suid(), plain.dev(), plain.exec(),
                plain.noatime(), plain.timeoutSeconds(), plain.threads(), plain.passthrough(), plain.owners(),
                plain.warnings()),
                helper);
    }

    @Test
    void longOptions_sameAsDashO() {
        MountConfig viaO = run("mount", "-o", fullOptions(), mnt.toString()).mounted();
        MountConfig viaLong = run("mount", "--lower", l1.toString(), "--lower=" + l2, "--upper", upper.toString(),
                "--work", work.toString(), mnt.toString()).mounted();
        assertEquals(viaO, viaLong);
        MountConfig colonList = run("mount", "--lower", l1 + ":" + l2, "--upper", upper.toString(),
                "--work", work.toString(), mnt.toString()).mounted();
        assertEquals(viaO, colonList);
    }

    @Test
    void repeatedDashO_mergedInOrder() {
        MountConfig c = run("-o", "lowerdir=" + l1 + ",ro", "-o", "threads=7,rw", "-o", "noexec", mnt.toString())
                .mounted();
        assertEquals(List.of(l1), c.lowerDirs());
        assertFalse(c.readOnly());
        assertEquals(7, c.threads());
        assertFalse(c.exec());
        assertTrue(c.mountsReadOnly(), "no upper: read-only");
    }

    @Test
    void podmanArgv_withEmptyItemAndVolatile() {
        Run r = run("-o", fullOptions() + ",,volatile", mnt.toString());
        MountConfig c = r.mounted();
        assertEquals("", r.err);
        assertEquals(List.of(l1, l2), c.lowerDirs());
    }

    @Test
    void warnings_inConfigAndPrintedBeforeServing() {
        Run r = run("-o", fullOptions() + ",context=\"system_u:object_r:container_file_t:s0:c1,c2\",frobnicate",
                mnt.toString());
        MountConfig c = r.mounted();
        List<String> expected = List.of("jover: option 'context' is not supported yet; ignored",
                "jover: ignoring unknown option 'frobnicate'");
        assertEquals(expected, c.warnings());
        assertEquals(String.join("\n", expected) + "\n", r.err);
    }

    @Test
    void warnings_alsoPrintedWhenRefused() {
        Run r = run("-o", "lowredir=" + l1, mnt.toString()).clean();
        assertEquals(1, r.exit);
        assertEquals("jover: ignoring unknown option 'lowredir'\n"
                + "jover: no lower layer given: add -o lowerdir=DIR[:DIR...] (topmost first)\n", r.err);
    }

    @Test
    void foregroundAndDebug() {
        assertTrue(run("-f", "-o", "lowerdir=" + l1, mnt.toString()).mounted().foreground());
        MountConfig d = run("mount", "-d", "-o", "lowerdir=" + l1, mnt.toString()).mounted();
        assertTrue(d.debug());
        assertTrue(d.foreground(), "-d implies -f");
        MountConfig fd = run("mount", "-fd", "-o", "lowerdir=" + l1, mnt.toString()).mounted();
        assertTrue(fd.debug() && fd.foreground());
    }

    @Test
    void daemonExitCodeIsReturned() {
        Run r = Run.of(ROOT, name -> null, config -> 3, "-o", "lowerdir=" + l1, mnt.toString());
        assertEquals(3, r.exit);
        assertNotNull(r.served);
    }

    @Test
    void symlinkedLayersAndMountPoint_resolvedOnce() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("link-l1"), l1);
        Path mlink = Files.createSymbolicLink(tmp.resolve("link-mnt"), mnt);
        MountConfig c = run("-o", "lowerdir=" + link + ":" + l2, mlink.toString()).mounted();
        assertEquals(List.of(l1, l2), c.lowerDirs());
        assertEquals(mnt, c.mountPoint());
    }

    @Test
    void relativePaths_resolveAgainstCurrentDirectory() {
        Path cwd = Path.of("").toAbsolutePath();
        String rel1 = cwd.relativize(l1).toString();
        String relMnt = cwd.relativize(mnt).toString();
        MountConfig c = run("-o", "lowerdir=" + rel1, relMnt).mounted();
        assertEquals(List.of(l1), c.lowerDirs());
        assertEquals(mnt, c.mountPoint());
    }

    @Test
    void sameLowerTwice_allowed() {
        MountConfig c = run("-o", "lowerdir=" + l1 + ":" + l2 + ":" + l1, mnt.toString()).mounted();
        assertEquals(List.of(l1, l2, l1), c.lowerDirs());
    }

    @Test
    void escapedColonInLayerPath() throws IOException {
        Path odd = Files.createDirectory(tmp.resolve("a:b\\c"));
        MountConfig c = run("-o", "lowerdir=" + tmp.resolve("a\\:b\\\\c") + ":" + l1, mnt.toString()).mounted();
        assertEquals(List.of(odd.toRealPath(), l1), c.lowerDirs());
    }

    @Test
    void commandNameAfterFirstArgument_isAPositional() {
        String m = run("-o", "lowerdir=" + l1, "mount").refused();
        assertEquals("jover: mount point " + Path.of("mount").toAbsolutePath()
                + " does not exist: create it or correct the path", m);
    }

    @Test
    void atSign_isNotAnArgumentFile() {
        String m = run("-o", "lowerdir=" + l1, "@" + tmp.resolve("args")).refused();
        assertTrue(m.contains("mount point @" + tmp.resolve("args")) || m.contains("/@"), m);
    }

    // ---- validation errors ----

    @Test
    void noLowerdir() {
        assertEquals("jover: no lower layer given: add -o lowerdir=DIR[:DIR...] (topmost first)",
                run("-o", "upperdir=" + upper + ",workdir=" + work, mnt.toString()).refused());
        assertEquals("jover: no lower layer given: add -o lowerdir=DIR[:DIR...] (topmost first)",
                run("mount", mnt.toString()).refused());
    }

    @Test
    void emptyLowerdir() {
        String m = run("-o", "lowerdir=", mnt.toString()).refused();
        assertTrue(m.startsWith("jover: empty lowerdir: give at least one layer directory"), m);
    }

    @Test
    void emptyLayerInList() {
        String m = run("-o", "lowerdir=" + l1 + "::" + l2, mnt.toString()).refused();
        assertTrue(m.startsWith("jover: empty layer in lowerdir '" + l1 + "::" + l2 + "'"), m);
    }

    @Test
    void missingLower() {
        Path missing = tmp.resolve("nope");
        assertEquals("jover: lower layer " + missing + " does not exist: create it or correct the path",
                run("-o", "lowerdir=" + l1 + ":" + missing, mnt.toString()).refused());
    }

    @Test
    void danglingSymlinkLower() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("nowhere"));
        String m = run("-o", "lowerdir=" + link, mnt.toString()).refused();
        assertTrue(m.contains(link + " does not exist (it is a dangling symlink)"), m);
    }

    @Test
    void fileAsLower() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertEquals("jover: lower layer " + file + " is not a directory: give a directory",
                run("-o", "lowerdir=" + file, mnt.toString()).refused());
    }

    @Test
    void fileOrMissingUpperAndWork() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertEquals("jover: upperdir " + file + " is not a directory: give a directory",
                run("-o", "lowerdir=" + l1 + ",upperdir=" + file + ",workdir=" + work, mnt.toString()).refused());
        Path missing = tmp.resolve("missing-work");
        assertEquals("jover: workdir " + missing + " does not exist: create it or correct the path",
                run("-o", "lowerdir=" + l1 + ",upperdir=" + upper + ",workdir=" + missing, mnt.toString())
                        .refused());
    }

    @Test
    void mountPointMissingOrFile() throws IOException {
        Path missing = tmp.resolve("no-mnt");
        assertEquals("jover: mount point " + missing + " does not exist: create it or correct the path",
                run("-o", "lowerdir=" + l1, missing.toString()).refused());
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertEquals("jover: mount point " + file + " is not a directory: give a directory",
                run("-o", "lowerdir=" + l1, file.toString()).refused());
    }

    @Test
    void mountPointAlreadyMounted() {
        assertEquals("jover: mount point /proc is already mounted: unmount it first (jover umount /proc)",
                run("-o", "lowerdir=" + l1, "/proc").refused());
    }

    @Test
    void mountPointAlreadyMounted_octalEscapesInMountinfo() throws IOException {
        Path spaced = Files.createDirectory(tmp.resolve("with space\tand tab")).toRealPath();
        String escaped = spaced.toString().replace(" ", "\\040").replace("\t", "\\011");
        Path info = Files.writeString(tmp.resolve("mountinfo"),
                "22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
                        + "99 22 0:50 / " + escaped + " rw,relatime shared:1 - tmpfs tmpfs rw\n");
        MountValidator.Host host = new MountValidator.Host(() -> 0, Path.of("/dev/null"), info);
        String m = Run.of(host, "-o", "lowerdir=" + l1, spaced.toString()).refused();
        assertEquals("jover: mount point " + spaced + " is already mounted: unmount it first (jover umount "
                + spaced + ")", m);
        // the same directory through a symlink is found after resolution
        Path link = Files.createSymbolicLink(tmp.resolve("to-spaced"), spaced);
        assertTrue(Run.of(host, "-o", "lowerdir=" + l1, link.toString()).refused().contains("already mounted"));
    }

    @Test
    void unescapeMountInfo() {
        assertEquals("/a b\tc\nd\\e", MountValidator.unescapeMountInfo("/a\\040b\\011c\\012d\\134e"));
        assertEquals("/caf\u00e9", MountValidator.unescapeMountInfo(
                new String("/caf\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)));
        assertEquals("/x\\9", MountValidator.unescapeMountInfo("/x\\9"));
    }

    @Test
    void upperWithoutWork_andWorkWithoutUpper() {
        assertEquals("jover: upperdir needs a workdir: add -o workdir=DIR, an empty directory on the upper's "
                + "filesystem", run("-o", "lowerdir=" + l1 + ",upperdir=" + upper, mnt.toString()).refused());
        assertEquals("jover: workdir given without upperdir: add -o upperdir=DIR, or drop workdir for a "
                + "read-only mount", run("-o", "lowerdir=" + l1 + ",workdir=" + work, mnt.toString()).refused());
    }

    @Test
    void workInsideUpper_upperInsideWork_same() throws IOException {
        Path inner = Files.createDirectory(upper.resolve("w"));
        assertEquals("jover: workdir " + inner + " is inside upperdir " + upper
                        + ": use two sibling directories (e.g. upper/ and work/)",
                run("-o", "lowerdir=" + l1 + ",upperdir=" + upper + ",workdir=" + inner, mnt.toString()).refused());
        Path innerUpper = Files.createDirectory(work.resolve("u"));
        assertEquals("jover: upperdir " + innerUpper + " is inside workdir " + work
                        + ": use two sibling directories (e.g. upper/ and work/)",
                run("-o", "lowerdir=" + l1 + ",upperdir=" + innerUpper + ",workdir=" + work, mnt.toString())
                        .refused());
        String same = run("-o", "lowerdir=" + l1 + ",upperdir=" + upper + ",workdir=" + upper, mnt.toString())
                .refused();
        assertTrue(same.startsWith("jover: upperdir and workdir are the same directory " + upper), same);
    }

    @Test
    void upperAlsoALower() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("upper-link"), upper);
        assertEquals("jover: upperdir " + upper + " is also a lower layer: use a separate directory for the upper",
                run("-o", "lowerdir=" + l1 + ":" + link + ",upperdir=" + upper + ",workdir=" + work, mnt.toString())
                        .refused());
    }

    @Test
    void dashOAndLongOptionsDoNotMix() {
        String m = run("mount", "-o", "lowerdir=" + l1, "--lower", l2.toString(), mnt.toString()).refused();
        assertEquals("jover: give the lower layers either with --lower or with -o lowerdir, not both", m);
    }

    @Test
    void badValueOfKnownKey_isAnError() {
        assertEquals("jover: bad value in option 'threads=0': expected a whole number from 1 to 64",
                run("-o", "lowerdir=" + l1 + ",threads=0", mnt.toString()).refused());
        assertEquals("jover: bad value in option 'passthrough=maybe': expected one of auto, on, off",
                run("-o", "lowerdir=" + l1 + ",passthrough=maybe", mnt.toString()).refused());
    }

    @Test
    void notRoot() {
        MountValidator.Host user = new MountValidator.Host(() -> 1000, Path.of("/dev/null"),
                Path.of("/proc/self/mountinfo"));
        assertEquals("jover: rootless mode is not available yet; run as root",
                Run.of(user, "-o", "lowerdir=" + l1, mnt.toString()).refused());
    }

    @Test
    void fuseDeviceMissing() {
        Path dev = tmp.resolve("fuse");
        MountValidator.Host host = new MountValidator.Host(() -> 0, dev, Path.of("/proc/self/mountinfo"));
        assertEquals("jover: " + dev + " does not exist: load the fuse module (modprobe fuse)",
                Run.of(host, "-o", "lowerdir=" + l1, mnt.toString()).refused());
    }

    @Test
    void fuseDeviceNotACharacterDevice() throws IOException {
        Path dev = Files.writeString(tmp.resolve("fuse"), "");
        MountValidator.Host host = new MountValidator.Host(() -> 0, dev, Path.of("/proc/self/mountinfo"));
        assertEquals("jover: " + dev + " is not a character device: load the fuse module (modprobe fuse)",
                Run.of(host, "-o", "lowerdir=" + l1, mnt.toString()).refused());
    }

    @Test
    void fuseDeviceNotOpenable() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(jover.sys.ProcessCalls.geteuid() == 0, "mknod needs root");
        Path dev = tmp.resolve("fuse");
        // a character device 0:0 has no driver: open() fails with ENXIO
        jover.sys.Sys.mknod(dev.toString(), jover.sys.Linux.S_IFCHR | 0600, 0, 0);
        MountValidator.Host host = new MountValidator.Host(() -> 0, dev, Path.of("/proc/self/mountinfo"));
        String m = Run.of(host, "-o", "lowerdir=" + l1, mnt.toString()).refused();
        assertTrue(m.startsWith("jover: " + dev + " cannot be opened ("), m);
        assertTrue(m.endsWith("): load the fuse module (modprobe fuse)"), m);
    }

    @Test
    void realHost_asRoot_validates() {
        org.junit.jupiter.api.Assumptions.assumeTrue(jover.sys.ProcessCalls.geteuid() == 0, "needs root");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")), "needs /dev/fuse");
        MountConfig c = Run.of(MountValidator.Host.system(), "-o", "lowerdir=" + l1, mnt.toString()).mounted();
        assertEquals(List.of(l1), c.lowerDirs());
    }

    // ---- usage errors ----

    @Test
    void usage_unknownLongOption() {
        assertEquals("jover: Unknown option: '--bogus'", run("--bogus", mnt.toString()).usage());
        Run r = run("mount", "--bogus", mnt.toString());
        r.usage();
        assertTrue(r.err.contains("Try 'jover mount --help'"), r.err);
    }

    @Test
    void usage_noArguments() {
        assertEquals("jover: missing MOUNTPOINT (or a command: mount, umount)", run().usage());
    }

    @Test
    void usage_mountWithoutMountPoint() {
        String m = run("mount", "-o", "lowerdir=" + l1).usage();
        assertTrue(m.contains("MOUNTPOINT"), m);
    }

    @Test
    void usage_tooManyPositionals() {
        String m = run("a", "b", "c", "-o", "lowerdir=" + l1).usage();
        assertTrue(m.contains("'c'"), m);
        m = run("mount", "a", "b", "c", "-o", "lowerdir=" + l1).usage();
        assertTrue(m.contains("'c'"), m);
    }

    @Test
    void usage_optionWithoutValue() {
        String m = run(mnt.toString(), "-o").usage();
        assertTrue(m.contains("-o"), m);
    }

    // ---- help and version ----

    @Test
    void version() {
        Run r = run("--version").clean();
        assertEquals(0, r.exit);
        assertEquals("jover " + Main.version() + "\n", r.out);
        assertEquals("dev", Main.version(), "no jar manifest when run from classes");
        assertEquals(r.out, run("-V").out);
    }

    @Test
    void help_top() {
        Run r = run("--help").clean();
        assertEquals(0, r.exit);
        assertEquals("", r.err);
        assertTrue(r.out.startsWith("Usage: jover [-fd] -o lowerdir=DIR"), r.out);
        for (String s : List.of("jover mount", "jover umount", "lowerdir=DIR[:DIR...]", "passthrough=auto|on|off",
                "exactly a command name", "./mount", "Exit status", "not supported yet")) {
            assertTrue(r.out.contains(s), s + " missing in:\n" + r.out);
        }
        assertEquals(r.out, run("-h").out);
        assertEquals(r.out, run("help").out);
    }

    @Test
    void help_mount() {
        Run r = run("mount", "--help").clean();
        assertEquals(0, r.exit);
        assertTrue(r.out.contains("Usage: jover mount"), r.out);
        for (String s : List.of("--lower", "--upper", "--work", "--foreground", "--debug", "timeout=SECONDS",
                "threads=N", "\\: is a colon")) {
            assertTrue(r.out.contains(s), s + " missing in:\n" + r.out);
        }
        assertEquals(r.out, run("help", "mount").out);
        for (String line : r.out.split("\n")) {
            assertTrue(line.length() <= 80, "too wide: " + line);
        }
    }

    @Test
    void help_umount() {
        Run r = run("umount", "--help").clean();
        assertEquals(0, r.exit);
        assertTrue(r.out.contains("Usage: jover umount"), r.out);
        assertTrue(r.out.contains("--lazy"), r.out);
    }

    @Test
    void help_unknownTopic() {
        assertEquals("jover: help takes one of: mount, umount", run("help", "frob").usage());
    }

    // ---- internal errors ----

    @Test
    void internalError_oneLineExit70() {
        Run r = Run.of(ROOT, name -> null, config -> {
            throw new IllegalStateException("boom");
        }, "-o", "lowerdir=" + l1, mnt.toString());
        assertEquals(70, r.exit);
        assertEquals("jover: internal error: boom\n", r.err);
    }

    @Test
    void internalError_stackTraceWithJoverDebug() {
        Run r = Run.of(ROOT, name -> name.equals("JOVER_DEBUG") ? "1" : null, config -> {
            throw new IllegalStateException("boom");
        }, "-o", "lowerdir=" + l1, mnt.toString());
        assertEquals(70, r.exit);
        assertTrue(r.err.startsWith("jover: internal error: boom\n"), r.err);
        assertTrue(r.err.contains("\tat "), r.err);
    }

    @Test
    void internalError_withoutMessage() {
        Run r = Run.of(ROOT, name -> null, config -> {
            throw new NullPointerException();
        }, "-o", "lowerdir=" + l1, mnt.toString());
        assertEquals(70, r.exit);
        assertEquals("jover: internal error: java.lang.NullPointerException\n", r.err);
    }
}
