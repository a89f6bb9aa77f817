package jover.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jover.testing.Environment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb as installed: unpacked with {@code dpkg -x} into a scratch root, its /usr/bin/jover
 * finds its own jar; and, with the package's /usr laid over the real one in a private mount
 * namespace (so every file is at its installed path and nothing on the host changes),
 * {@code mount -t fuse.jover} and an fstab line mount through fuse3's mount.fuse helper, which
 * runs {@code jover} found on the shell's default PATH, and the mounts go away with
 * {@code fusermount3 -u}, {@code umount} and {@code jover umount}, each taking its daemon along.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class InstalledDebIT {
    private static final Path EXAMPLE = Path.of("examples/layers").toAbsolutePath();
    private static final Path REPO_LAUNCHER = Path.of("bin/jover").toAbsolutePath();

    @TempDir
    Path tmp;
    private Path root;
    private Path mnt;

    @BeforeEach
    void install() throws Exception {
        Environment.requireFuseAndKernelOverlay();
        Path deb = Packaging.deb();
        root = Files.createDirectory(tmp.resolve("root"));
        mnt = Files.createDirectory(tmp.resolve("mnt"));
        Packaging.run(List.of("dpkg", "-x", deb.toString(), root.toString())).ok("dpkg -x");
    }

    @AfterEach
    void stopLeftoverDaemons() {
        // a failed run may leave a daemon serving mnt in the test's mount namespace: it is ours to end
        ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(mnt.toString())).orElse(false))
                .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .forEach(ProcessHandle::destroy);
    }

    @Test
    void theInstalledLauncherFindsItsJar() throws Exception {
        Path launcher = root.resolve("usr/bin/jover");
        Packaging.Result v = Packaging.run(List.of(launcher.toString(), "--version"), Map.of(), List.of("JOVER_JAR"),
                null, 60).ok("installed jover --version");
        assertEquals("jover " + Packaging.version() + "\n", v.out());

        // and it is the installed jar it found: without it (and none in /usr/share/jover) it finds none
        Assumptions.assumeFalse(Files.exists(Path.of("/usr/share/jover/jover.jar")), "jover is installed on this host");
        Files.move(root.resolve("usr/share/jover/jover.jar"), tmp.resolve("moved.jar"));
        Packaging.Result none = Packaging.run(List.of(launcher.toString(), "--version"), Map.of(),
                List.of("JOVER_JAR"), null, 60);
        assertEquals(1, none.exit(), none.toString());
        assertTrue(none.err().contains("jover.jar not found"), none.err());
    }

    /** The steps run in one private mount namespace; each prints "ok: STEP" once it has checked it. */
    private static final String SCRIPT = """
            set -euo pipefail
            root=$1 mnt=$2 app=$3 base=$4 upper=$5 work=$6 fstab=$7 repo_launcher=$8 version=$9
            check() { "$@" || { echo "failed: $*" >&2; exit 1; }; }
            installed_jar=/usr/bin/../share/jover/jover.jar
            mounted() { awk -v m="$mnt" '$5 == m && / - fuse\\.jover / { f = 1 } END { exit !f }' /proc/self/mountinfo; }
            cleanup() { if mounted; then umount -l "$mnt" || true; fi; }
            trap cleanup EXIT
            # the daemons serving $mnt: java ... -jar JAR ... $mnt ...
            daemons() {
              local p args
              for p in /proc/[0-9]*; do
                args=$'\\n'$(tr '\\0' '\\n' < "$p/cmdline" 2>/dev/null)$'\\n' || continue
                case $args in *$'\\n'"$mnt"$'\\n'*) case $args in *$'\\n-jar\\n'*) echo "${p#/proc/} $args" | tr '\\n' ' '; echo ;; esac ;; esac
              done
            }
            expect_mounted() {
              mounted || { echo "not mounted: $mnt" >&2; exit 1; }
              local d; d=$(daemons)
              [ "$(printf '%s\\n' "$d" | grep -c .)" = 1 ] || { echo "not one daemon: $d" >&2; exit 1; }
              case $d in *" $installed_jar "*) ;; *) echo "daemon does not run the installed jar: $d" >&2; exit 1 ;; esac
            }
            expect_gone() {
              ! mounted || { echo "still mounted: $mnt" >&2; exit 1; }
              for _ in $(seq 150); do [ -z "$(daemons)" ] && return 0; sleep 0.2; done
              echo "daemon left behind: $(daemons)" >&2; exit 1
            }

            # the package at its installed paths; nothing on the host changes
            mount -t overlay jover-deb -o "ro,lowerdir=$root/usr:/usr" /usr
            check [ "$(env -u JOVER_JAR /usr/bin/jover --version)" = "jover $version" ]
            echo "ok: installed /usr/bin/jover --version"

            env -u JOVER_JAR mount -t fuse.jover overlay "$mnt" -o "lowerdir=$app:$base"
            expect_mounted
            check grep -q " $mnt ro,.* - fuse\\.jover overlay " /proc/self/mountinfo
            check [ "$(cat "$mnt/etc/motd")" = "Welcome to the base layer." ]
            check [ ! -e "$mnt/obsolete.txt" ]
            echo "ok: mount -t fuse.jover"
            fusermount3 -u "$mnt"
            expect_gone
            echo "ok: fusermount3 -u"

            printf 'jover-fstab %s fuse.jover lowerdir=%s:%s,upperdir=%s,workdir=%s,nosuid,nodev,noauto,nofail,x-test.opt=1 0 0\\n' \\
              "$mnt" "$app" "$base" "$upper" "$work" > "$fstab"
            env -u JOVER_JAR mount -T "$fstab" "$mnt"
            expect_mounted
            check grep -q " $mnt rw,nosuid,nodev,.* - fuse\\.jover jover-fstab " /proc/self/mountinfo
            echo written > "$mnt/new.txt"
            check [ "$(cat "$upper/new.txt")" = written ]
            echo "ok: fstab line"
            umount "$mnt"
            expect_gone
            echo "ok: umount"

            env -u JOVER_JAR mount -T "$fstab" "$mnt"
            expect_mounted
            check [ "$(cat "$mnt/new.txt")" = written ]
            "$repo_launcher" umount "$mnt"
            expect_gone
            echo "ok: jover umount"
            """;

    @Test
    void mountTypeFuseJoverAndFstabThenTheThreeUnmounts() throws Exception {
        Assumptions.assumeTrue(ManPageTest.onPath("unshare"), "unshare (util-linux) is not installed");
        if (!Files.exists(Path.of("/sbin/mount.fuse")) || !ManPageTest.onPath("fusermount3")) {
            String missing = "fuse3's /sbin/mount.fuse and fusermount3 are needed (apt-get install fuse3)";
            if (Environment.isCi()) {
                fail(missing);
            }
            Assumptions.abort(missing);
        }
        Path upper = Files.createDirectory(tmp.resolve("upper"));
        Path work = Files.createDirectory(tmp.resolve("work"));
        List<String> command = List.of("unshare", "--mount", "--propagation", "private", "bash", "-s", "--",
                root.toString(), mnt.toString(), EXAMPLE.resolve("app").toString(), EXAMPLE.resolve("base").toString(),
                upper.toString(), work.toString(), tmp.resolve("fstab").toString(), REPO_LAUNCHER.toString(),
                Packaging.version());
        Packaging.Result r = Packaging.run(command, Map.of(), List.of("JOVER_JAR"), SCRIPT, 240);
        assertEquals(0, r.exit(), "stdout:\n" + r.out() + "stderr:\n" + r.err());
        assertEquals(List.of("ok: installed /usr/bin/jover --version", "ok: mount -t fuse.jover", "ok: fusermount3 -u",
                "ok: fstab line", "ok: umount", "ok: jover umount"), r.out().lines().toList(), r.err());
    }
}
