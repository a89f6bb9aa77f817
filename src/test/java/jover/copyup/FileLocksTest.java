package jover.copyup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.testing.Environment;
import jover.testing.FsCalls;
import jover.testing.JoverMount;
import jover.testing.MountFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * File locks between two processes on files of the mount: flock(2) through util-linux's
 * {@code flock}, POSIX record locks through {@link LockChild} (FileChannel, fcntl). The second
 * process cannot take a conflicting lock while the first holds it, and can once it is released.
 * Then the same across a copy-up: a process holds a shared lock on a lower file through a
 * read-only descriptor (no copy-up), another process opens the file for writing (which copies
 * it up), and a third still cannot take an exclusive lock: the lock belongs to the file, which
 * stays the same object. Each case runs on kernel overlayfs (the reference), on jover, and on
 * jover with {@code passthrough=off}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FileLocksTest {
    private static final long WAIT_SECONDS = 20;

    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireFuseAndKernelOverlay();
    }

    /** Mounts {@code impl} over a lower layer holding files a, b, c, d, e; returns the mount point. */
    private Path mount(String impl) throws IOException {
        Path base = fx.newDir("copyup-locks");
        Path lower = base.resolve("lower");
        Files.createDirectories(lower);
        for (String n : List.of("a", "b", "c", "d", "e")) {
            Files.writeString(lower.resolve(n), "data of " + n + "\n".repeat(200));
        }
        Path upper = Files.createDirectories(base.resolve("upper"));
        Path work = Files.createDirectories(base.resolve("work"));
        Path mnt = base.resolve("mnt");
        if (impl.equals("kernel")) {
            return fx.kernel(List.of(lower), Optional.of(upper), Optional.of(work), mnt, false).mountPoint();
        }
        List<String> opts = impl.equals("jover-passthrough-off") ? List.of("passthrough=off") : List.of();
        JoverMount j = fx.track(JoverMount.mount(List.of(lower), Optional.of(upper), Optional.of(work), mnt, false,
                opts));
        daemon = j;
        return j.mountPoint();
    }

    private JoverMount daemon;

    private String context(String impl) {
        return impl + (daemon == null ? "" : "\n" + daemon.output());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kernel", "jover", "jover-passthrough-off"})
    void flockExcludesAnotherProcessUntilReleased(String impl) throws Exception {
        Path mnt = mount(impl);
        List<String> problems = new ArrayList<>();
        Path f = mnt.resolve("a");
        try (Child holder = Child.start(List.of("flock", "-x", f.toString(), "sh", "-c", "echo held; read x"))) {
            holder.await("held");
            expectExit(problems, "flock -n while another process holds LOCK_EX", 1, "flock", "-n", f.toString(),
                    "true");
            expectExit(problems, "flock -n -s while another process holds LOCK_EX", 1, "flock", "-n", "-s",
                    f.toString(), "true");
            expectFlockFromHere(problems, f, false, "this JVM's flock(LOCK_EX|LOCK_NB) while another process holds it");
            holder.send("go");
            holder.awaitExit(0);
        }
        expectExit(problems, "flock -n after the holder released", 0, "flock", "-n", f.toString(), "true");
        expectFlockFromHere(problems, f, true, "this JVM's flock(LOCK_EX|LOCK_NB) after the release");

        Path g = mnt.resolve("b");
        try (Child holder = Child.start(List.of("flock", "-s", g.toString(), "sh", "-c", "echo held; read x"))) {
            holder.await("held");
            expectExit(problems, "flock -n -s beside another shared holder", 0, "flock", "-n", "-s", g.toString(),
                    "true");
            expectExit(problems, "flock -n (exclusive) beside a shared holder", 1, "flock", "-n", g.toString(),
                    "true");
            holder.send("go");
            holder.awaitExit(0);
        }
        assertTrue(problems.isEmpty(), () -> "- " + String.join("\n- ", problems) + "\n" + context(impl));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kernel", "jover", "jover-passthrough-off"})
    void posixRecordLocksExcludeOverlappingRangesUntilReleased(String impl) throws Exception {
        Path mnt = mount(impl);
        List<String> problems = new ArrayList<>();
        String f = mnt.resolve("c").toString();
        try (Child holder = Child.start(lockChild("hold", f, 0, 100, "exclusive"))) {
            holder.await("locked");
            expectProbe(problems, "an overlapping exclusive lock while [0,100) is held", "busy", f, 50, 100,
                    "exclusive");
            expectProbe(problems, "an overlapping shared lock while [0,100) is held", "busy", f, 99, 1, "shared");
            expectProbe(problems, "the adjacent range [100,200)", "got", f, 100, 100, "exclusive");
            holder.send("go");
            holder.await("released");
            holder.awaitExit(0);
        }
        expectProbe(problems, "an overlapping exclusive lock after the release", "got", f, 50, 100, "exclusive");
        assertTrue(problems.isEmpty(), () -> "- " + String.join("\n- ", problems) + "\n" + context(impl));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kernel", "jover", "jover-passthrough-off"})
    void locksHeldOnALowerFileSurviveItsCopyUp(String impl) throws Exception {
        Path mnt = mount(impl);
        List<String> problems = new ArrayList<>();
        // Deliberate difference (README): with passthrough the copied-up name is a new inode, and
        // the kernel keeps locks per inode, so a lock held through a descriptor opened before the
        // copy-up no longer excludes lockers that open the name afterwards. Pinned here both ways.
        boolean newInode = impl.equals("jover");
        Path f = mnt.resolve("d");
        try (Child holder = Child.start(List.of("flock", "-s", f.toString(), "sh", "-c", "echo held; read x"))) {
            holder.await("held"); // flock(1) opens O_RDONLY: no copy-up yet
            copyUpByWriting(f);
            expectExit(problems, "flock -n (exclusive) after another process copied up the file a shared flock "
                    + "holder had open", newInode ? 0 : 1, "flock", "-n", f.toString(), "true");
            holder.send("go");
            holder.awaitExit(0);
        }
        expectExit(problems, "flock -n after the shared holder released", 0, "flock", "-n", f.toString(), "true");

        String e = mnt.resolve("e").toString();
        try (Child holder = Child.start(lockChild("hold", e, 0, 10, "shared"))) {
            holder.await("locked"); // a read-only descriptor: no copy-up yet
            copyUpByWriting(Path.of(e));
            expectProbe(problems, "an exclusive POSIX lock after another process copied up the file a shared "
                    + "lock holder had open", newInode ? "got" : "busy", e, 0, 10, "exclusive");
            holder.send("go");
            holder.await("released");
            holder.awaitExit(0);
        }
        expectProbe(problems, "an exclusive POSIX lock after the shared holder released", "got", e, 0, 10,
                "exclusive");
        assertTrue(problems.isEmpty(), () -> "- " + String.join("\n- ", problems) + "\n" + context(impl));
    }

    /** Opens for writing and writes one byte in place: copies a lower file up. */
    private static void copyUpByWriting(Path f) throws Exception {
        int fd = FsCalls.open(Raw.of(f), Linux.O_WRONLY, 0);
        try {
            FsCalls.pwrite(fd, new byte[] {'D'}, 0);
        } finally {
            FsCalls.close(fd);
        }
    }

    private static List<String> lockChild(String mode, String path, long start, long len, String kind) {
        List<String> cmd = JoverMount.javaCommand();
        cmd.addAll(List.of(LockChild.class.getName(), mode, path, Long.toString(start), Long.toString(len), kind));
        return cmd;
    }

    private static void expectProbe(List<String> problems, String what, String want, String path, long start,
            long len, String kind) throws Exception {
        try (Child probe = Child.start(lockChild("try", path, start, len, kind))) {
            String got = probe.next();
            probe.awaitExit(0);
            if (!want.equals(got)) {
                problems.add(what + ": " + got + ", expected " + want + " (" + probe.stderr() + ")");
            }
        }
    }

    private static void expectExit(List<String> problems, String what, int want, String... cmd) throws Exception {
        try (Child c = Child.start(List.of(cmd))) {
            int got = c.exitCode();
            if (got != want) {
                problems.add(what + ": " + String.join(" ", cmd) + " exited " + got + ", expected " + want + " "
                        + c.stderr());
            }
        }
    }

    /** flock(LOCK_EX | LOCK_NB) from this JVM on a descriptor of its own. */
    private static void expectFlockFromHere(List<String> problems, Path f, boolean wantLock, String what)
            throws Exception {
        int fd = FsCalls.open(Raw.of(f), Linux.O_RDONLY, 0);
        try {
            FsCalls.flock(fd, FsCalls.LOCK_EX | FsCalls.LOCK_NB);
            if (!wantLock) {
                problems.add(what + ": got the lock");
            }
            FsCalls.flock(fd, FsCalls.LOCK_UN);
        } catch (jover.sys.ErrnoException e) {
            if (wantLock) {
                problems.add(what + ": " + e.getMessage());
            }
        } finally {
            FsCalls.close(fd);
        }
    }

    /** A child process whose stdout lines are queued and whose stdin the test writes. */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuffer err = new StringBuffer();
        private final String name;

        private Child(Process process, String name) {
            this.process = process;
            this.name = name;
            Thread out = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)), true), "lock-child-out");
            Thread er = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8)), false), "lock-child-err");
            out.setDaemon(true);
            er.setDaemon(true);
            out.start();
            er.start();
        }

        static Child start(List<String> cmd) throws IOException {
            return new Child(new ProcessBuilder(cmd).start(), String.join(" ", cmd));
        }

        private void pump(BufferedReader r, boolean out) {
            try {
                String l;
                while ((l = r.readLine()) != null) {
                    if (out) {
                        lines.add(l);
                    } else {
                        err.append(l).append('\n');
                    }
                }
            } catch (IOException e) {
                err.append(e);
            }
        }

        String next() throws InterruptedException, IOException {
            String l = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (l == null) {
                throw new IOException("no output from " + name + " within " + WAIT_SECONDS + " s; stderr: " + err);
            }
            return l;
        }

        void await(String line) throws InterruptedException, IOException {
            String l = next();
            if (!l.equals(line)) {
                throw new IOException(name + " printed '" + l + "', expected '" + line + "'; stderr: " + err);
            }
        }

        void send(String line) throws IOException {
            OutputStream o = process.getOutputStream();
            o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            o.flush();
        }

        int exitCode() throws InterruptedException, IOException {
            if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException(name + " still running after " + WAIT_SECONDS + " s");
            }
            return process.exitValue();
        }

        void awaitExit(int want) throws InterruptedException, IOException {
            int got = exitCode();
            if (got != want) {
                throw new IOException(name + " exited " + got + ", expected " + want + "; stderr: " + err);
            }
        }

        String stderr() {
            return err.toString().trim();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
