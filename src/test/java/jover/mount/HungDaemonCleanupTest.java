package jover.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jover.sys.Raw;
import jover.sys.Sys;
import jover.testing.Environment;
import jover.testing.HostCalls;
import jover.testing.JoverMount;
import jover.testing.LayerWriter;
import jover.testing.MountFixture;
import jover.testing.MountInfo;
import jover.testing.TreeSpec;
import jover.testing.WhiteoutForm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The harness itself: {@link JoverMount#close()} must free a mount whose daemon no longer
 * answers (stopped with SIGSTOP) while a thread of this JVM is blocked on it, in bounded time,
 * leaving no mount and no process behind.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HungDaemonCleanupTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireFuseMounting();
    }

    @Test
    void closeFreesAHungMountAndItsBlockedCallers() throws Exception {
        Path dir = fx.newDir("hung");
        TreeSpec spec = TreeSpec.builder().layer().file("d/f", "x\n").build();
        List<Path> lowers = LayerWriter.write(spec, WhiteoutForm.KERNEL, dir.resolve("layers"));
        JoverMount jover = JoverMount.mount(lowers, dir.resolve("mnt"));
        try {
            jover.signal(HostCalls.SIGSTOP);
            AtomicReference<String> outcome = new AtomicReference<>();
            Thread blocked = new Thread(() -> {
                try {
                    Sys.lstat(Raw.of(jover.mountPoint()) + "/never-looked-up-before");
                    outcome.set("returned");
                } catch (Exception e) {
                    outcome.set(e.getMessage());
                }
            }, "blocked-on-hung-mount");
            blocked.setDaemon(true);
            blocked.start();
            blocked.join(1000);
            assertTrue(blocked.isAlive(), "the lookup should hang while the daemon is stopped: " + outcome.get());

            long start = System.nanoTime();
            jover.close();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(seconds <= 25, "close() took " + seconds + " s");

            blocked.join(5000);
            assertFalse(blocked.isAlive(), "the blocked lookup was not released");
            assertFalse(jover.process().isAlive(), "daemon still running");
            assertEquals(List.of(), MountInfo.under(dir), "mounts left");
        } finally {
            try {
                jover.signal(HostCalls.SIGCONT);
            } catch (Exception e) {
                // already gone
            }
            jover.close();
        }
    }
}
