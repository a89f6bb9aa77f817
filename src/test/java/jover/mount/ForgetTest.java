package jover.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jover.testing.Environment;
import jover.testing.HostCalls;
import jover.testing.JoverMount;
import jover.testing.LayerWriter;
import jover.testing.MountFixture;
import jover.testing.OverlayAssertions;
import jover.testing.TreeSnapshot;
import jover.testing.TreeSpec;
import jover.testing.WhiteoutForm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After a full walk and a drop of the kernel's dentry and inode caches, the kernel has sent
 * FORGET for every node: jover must hold only the root (nodes=1), and no open file or directory
 * handle (handles=0). Polls for a few seconds: FORGETs arrive asynchronously.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ForgetTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireFuseMounting();
    }

    /** Two layers of 4 x 6 x 4 nested dirs with a few files each (a few hundred nodes), half merged. */
    static TreeSpec tree() {
        TreeSpec.Builder b = TreeSpec.builder();
        TreeSpec.LayerBuilder top = b.layer();
        TreeSpec.LayerBuilder low = b.layer();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 6; j++) {
                for (int k = 0; k < 4; k++) {
                    String d = "d" + i + "/e" + j + "/f" + k;
                    top.file(d + "/top", "top " + d);
                    low.file(d + "/low", "low " + d);
                    if (k % 2 == 0) {
                        top.symlink(d + "/link", "top");
                    } else {
                        low.file(d + "/top", "hidden " + d);
                    }
                }
                low.file("d" + i + "/e" + j + "/only-low", "x");
            }
            low.dir("lowdir" + i + "/sub");
        }
        return b.build();
    }

    @Test
    void onlyTheRootIsLeftAfterDropCaches() throws Exception {
        Path dir = fx.newDir("forget");
        TreeSpec spec = tree();
        List<Path> lowers = LayerWriter.write(spec, WhiteoutForm.KERNEL, dir.resolve("layers"));
        JoverMount jover = fx.jover(lowers, dir.resolve("mnt"));

        // stat everything, list every directory, read every file
        TreeSnapshot view = TreeSnapshot.of(jover.mountPoint());
        OverlayAssertions.assertSameTree(spec.expectedView(), view, "spec", "jover", jover::output);
        assertTrue(view.entries().size() > 300, "tree too small: " + view.entries().size());
        JoverMount.Stats walked = jover.stats();
        assertTrue(walked.nodes() > 100, () -> "after the walk jover should hold many nodes: " + walked.line());

        JoverMount.Stats stats = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            HostCalls.sync();
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
            Thread.sleep(200);
            stats = jover.stats();
        } while ((stats.nodes() != 1 || stats.handles() != 0) && System.nanoTime() < deadline);

        JoverMount.Stats last = stats;
        assertEquals(1, last.nodes(), () -> "nodes after drop_caches: " + last.line() + "\n" + jover.output());
        assertEquals(0, last.handles(), () -> "open handles: " + last.line());
        // dirhandles counts jover's bounded cache of open layer directories: not asserted
    }
}
