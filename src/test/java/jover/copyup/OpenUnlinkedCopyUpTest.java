package jover.copyup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.sys.Stat;
import jover.testing.Environment;
import jover.testing.FsCalls;
import jover.testing.HostCalls;
import jover.testing.JoverMount;
import jover.testing.MountFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A copy-up triggered through a descriptor whose lower file has been unlinked meanwhile
 * (fchmod, fsetxattr on a read-only descriptor opened before the unlink). The upper then holds a
 * whiteout at that name, or a new, unrelated file created there since. Kernel overlayfs answers
 * EEXIST (its copy-up finds the name taken) and changes nothing; whatever jover answers, it must
 * not apply the change to the whiteout or to the unrelated file.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OpenUnlinkedCopyUpTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireFuseAndKernelOverlay();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kernel", "jover", "jover-passthrough-off"})
    void changeThroughAStaleDescriptorTouchesNoOtherFile(String impl) throws Exception {
        Path base = fx.newDir("copyup-unlinked");
        Path lower = Files.createDirectories(base.resolve("lower"));
        Path upper = Files.createDirectories(base.resolve("upper"));
        Path work = Files.createDirectories(base.resolve("work"));
        Files.writeString(lower.resolve("reused"), "lower data\n");
        Files.writeString(lower.resolve("gone"), "lower data\n");
        HostCalls.chmod(Raw.of(lower.resolve("reused")), 0644);
        HostCalls.chmod(Raw.of(lower.resolve("gone")), 0644);
        Path mnt = base.resolve("mnt");
        JoverMount jover = null;
        if (impl.equals("kernel")) {
            fx.kernel(List.of(lower), Optional.of(upper), Optional.of(work), mnt, false);
        } else {
            jover = fx.track(JoverMount.mount(List.of(lower), Optional.of(upper), Optional.of(work), mnt, false,
                    impl.equals("jover") ? List.of() : List.of("passthrough=off")));
            mnt = jover.mountPoint();
        }
        List<String> problems = new ArrayList<>();

        // 1. the name now belongs to a new file
        String reused = Raw.of(mnt.resolve("reused"));
        int fd = FsCalls.open(reused, Linux.O_RDONLY, 0);
        try {
            FsCalls.unlink(reused);
            Files.writeString(mnt.resolve("reused"), "new unrelated file\n");
            FsCalls.chmod(reused, 0644);
            String chmod = outcome(() -> FsCalls.fchmod(fd, 0600));
            String setx = outcome(() -> FsCalls.fsetxattr(fd, "user.stale", "1".getBytes(StandardCharsets.US_ASCII),
                    0));
            System.out.println("OpenUnlinkedCopyUpTest " + impl + ": fchmod -> " + chmod + ", fsetxattr -> " + setx);
            Stat st = CopyUpTools.lstat(upper.resolve("reused")); // the mount may show cached attributes
            if ((st.mode() & 07777) != 0644) {
                problems.add("fchmod on a descriptor of the unlinked lower file (" + chmod + ") changed the new file "
                        + "at its name to mode " + Integer.toOctalString(st.mode() & 07777));
            }
            if (CopyUpTools.xattrOrNull(upper.resolve("reused"), "user.stale") != null) {
                problems.add("fsetxattr on a descriptor of the unlinked lower file (" + setx + ") set user.stale on "
                        + "the new file at its name");
            }
            if (!Files.readString(mnt.resolve("reused")).equals("new unrelated file\n")) {
                problems.add("the new file's data changed");
            }
        } finally {
            FsCalls.close(fd);
        }

        // 2. only a whiteout stands at the name
        String gone = Raw.of(mnt.resolve("gone"));
        int fd2 = FsCalls.open(gone, Linux.O_RDONLY, 0);
        try {
            FsCalls.unlink(gone);
            Stat before = CopyUpTools.lstat(upper.resolve("gone"));
            String chmod = outcome(() -> FsCalls.fchmod(fd2, 0600));
            Stat after = CopyUpTools.lstat(upper.resolve("gone"));
            System.out.println("OpenUnlinkedCopyUpTest " + impl + ": fchmod after unlink -> " + chmod);
            if (!after.isCharDevice00() || after.mode() != before.mode()) {
                problems.add("fchmod on a descriptor of the unlinked lower file (" + chmod + ") changed the whiteout "
                        + "at its name from mode " + Integer.toOctalString(before.mode()) + " to "
                        + Integer.toOctalString(after.mode()));
            }
        } finally {
            FsCalls.close(fd2);
        }
        JoverMount j = jover;
        assertTrue(problems.isEmpty(), () -> impl + ":\n- " + String.join("\n- ", problems)
                + (j == null ? "" : "\n" + j.output()));
    }

    private interface Call {
        void run() throws ErrnoException;
    }

    private static String outcome(Call c) {
        try {
            c.run();
            return "ok";
        } catch (ErrnoException e) {
            return FsCalls.errnoName(e.errno());
        }
    }
}
