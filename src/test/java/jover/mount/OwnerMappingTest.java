package jover.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jover.testing.Environment;
import jover.testing.MountFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * uidmapping=, gidmapping= and squash_to_* as fuse-overlayfs does them: the same layers and the
 * same changes on jover and on fuse-overlayfs (Debian's) give the same owners through the mount
 * and on disk. A caller inside the mapped range creates files stored under the container's ids;
 * a chown through the mount stores the mapped-back ids; unmapped ids show as 65534.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OwnerMappingTest {
    private static final String MAPPING = "uidmapping=0:100000:65536,gidmapping=0:100000:65536";

    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @Test
    void mappedOwners_matchFuseOverlayfs() throws Exception {
        Environment.requireFuseMounting();
        Map<String, String> jover = scenario("jover", MAPPING, 100000);
        Map<String, String> reference = scenario("fuse-overlayfs", MAPPING, 100000);
        assertEquals(reference, jover);
        // what the mapping means, independently of fuse-overlayfs:
        assertEquals("100000:100000", jover.get("shown a"));
        assertEquals("100001:100002", jover.get("shown b"));
        assertEquals("65534:65534", jover.get("shown c"));
        assertEquals("0:0", jover.get("disk d/new"), "a file made by host uid 100000 is stored as the container's root");
        assertEquals("5:6", jover.get("disk a"), "chown 100005:100006 through the mount stores 5:6");
    }

    @Test
    void squashedOwners_matchFuseOverlayfs() throws Exception {
        Environment.requireFuseMounting();
        String options = MAPPING + ",squash_to_root,squash_to_gid=7";
        Map<String, String> jover = scenario("jover", options, 0); // d shows as 0:7 now: only root may write in it
        assertEquals(scenario("fuse-overlayfs", options, 0), jover);
        assertEquals("0:7", jover.get("shown c"));
        assertEquals("65534:65534", jover.get("disk d/new"), "host root is outside the mapping: stored as overflow");
        assertEquals("5:6", jover.get("disk a"), "squashing changes what shows, not what is stored");
    }

    /**
     * Mounts {@code impl} over fresh layers, makes the changes (d/new created by {@code creator}),
     * and reads owners through the mount and on disk.
     */
    private Map<String, String> scenario(String impl, String options, int creator) throws Exception {
        Path dir = fx.newDir("owners-" + impl);
        Path lower = Files.createDirectories(dir.resolve("l"));
        Path upper = Files.createDirectories(dir.resolve("u"));
        Path work = Files.createDirectories(dir.resolve("w"));
        Path mnt = Files.createDirectories(dir.resolve("m"));
        Files.createDirectories(lower.resolve("d"));
        for (String name : List.of("a", "b", "c")) {
            Files.writeString(lower.resolve(name), name);
        }
        run("chown", "1:2", lower.resolve("b").toString());
        run("chown", "70000:70000", lower.resolve("c").toString());
        if (impl.equals("jover")) {
            fx.jover(List.of(lower), Optional.of(upper), Optional.of(work), mnt, false, List.of(options.split(",")));
        } else {
            mountFuseOverlayfs(lower, upper, work, mnt, options);
        }
        Map<String, String> seen = new LinkedHashMap<>();
        for (String name : List.of("a", "b", "c", "d")) {
            seen.put("shown " + name, owner(mnt.resolve(name)));
        }
        run("setpriv", "--reuid=" + creator, "--regid=" + creator, "--clear-groups", "touch",
                mnt.resolve("d/new").toString());
        run("chown", "100005:100006", mnt.resolve("a").toString());
        seen.put("shown d/new", owner(mnt.resolve("d/new")));
        seen.put("shown a after chown", owner(mnt.resolve("a")));
        seen.put("disk d/new", owner(upper.resolve("d/new")));
        seen.put("disk a", owner(upper.resolve("a")));
        return seen;
    }

    private void mountFuseOverlayfs(Path lower, Path upper, Path work, Path mnt, String options) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/fuse-overlayfs"))) {
            if (Environment.isCi()) {
                throw new AssertionError("fuse-overlayfs is not installed (.ci/run installs it)");
            }
            org.junit.jupiter.api.Assumptions.abort("fuse-overlayfs is not installed");
        }
        run("fuse-overlayfs", "-o", "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work + "," + options,
                mnt.toString());
        fx.track(() -> run("umount", "-l", mnt.toString()));
    }

    private static String owner(Path p) throws IOException {
        return Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
                + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + ": timed out");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + out);
        }
    }
}
