package jover.writes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import jover.testing.Environment;
import jover.testing.JoverMount;
import jover.testing.LayerWriter;
import jover.testing.MountFixture;
import jover.testing.TreeSpec;
import jover.testing.WhiteoutForm;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * POSIX and flock locks are left to the kernel (jover never negotiates lock support), so they
 * must still exclude each other between two processes on the mount: while one process holds a
 * lock on a file (a lower file, copied up by the open for write, or an upper file), another
 * process cannot take it, and can once it is released. Checked on kernel overlayfs too.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LocksTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    private Path mount(String impl, Supplier<String>[] output) throws Exception {
        Environment.requireFor(impl);
        Path dir = fx.newDir("locks");
        TreeSpec spec = TreeSpec.builder().layer().file("lf", "lower\n").build();
        List<Path> lowers = LayerWriter.write(spec, WhiteoutForm.KERNEL, dir.resolve("layers"));
        Path upper = dir.resolve("upper");
        Path work = dir.resolve("work");
        LayerWriter.prepareUpper(spec, upper, work);
        Files.writeString(upper.resolve("uf"), "upper\n");
        Path mnt = dir.resolve("mnt");
        if (impl.equals("kernel")) {
            output[0] = () -> "(kernel overlayfs)";
            return fx.kernel(lowers, Optional.of(upper), Optional.of(work), mnt, false).mountPoint();
        }
        JoverMount j = fx.jover(lowers, Optional.of(upper), Optional.of(work), mnt, false);
        output[0] = j::output;
        return j.mountPoint();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"kernel, lf", "kernel, uf", "jover, lf", "jover, uf"})
    void flockExcludesAnotherProcess(String impl, String name) throws Exception {
        @SuppressWarnings("unchecked")
        Supplier<String>[] output = new Supplier[1];
        Path file = mount(impl, output).resolve(name);
        // first process: flock(1) holds LOCK_EX while its command runs (-o: the command does not inherit it)
        Process holder = new ProcessBuilder("flock", "-o", "-x", file.toString(), "-c", "echo locked; exec sleep 60")
                .redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine(), () -> "flock holder did not start\n" + output[0].get());
            assertEquals(1, run("flock", "-n", "-x", file.toString(), "true"),
                    () -> impl + ": a second process got LOCK_EX on " + name + " while another held it\n"
                            + output[0].get());
            assertEquals(1, run("flock", "-n", "-s", file.toString(), "true"),
                    () -> impl + ": a second process got LOCK_SH on " + name + " while another held LOCK_EX");
        } finally {
            stop(holder);
        }
        assertEquals(0, run("flock", "-n", "-x", file.toString(), "true"),
                () -> impl + ": the lock on " + name + " was not released with its holder\n" + output[0].get());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"kernel, lf", "kernel, uf", "jover, lf", "jover, uf"})
    void posixLockExcludesAnotherProcess(String impl, String name) throws Exception {
        @SuppressWarnings("unchecked")
        Supplier<String>[] output = new Supplier[1];
        Path file = mount(impl, output).resolve(name);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = ch.lock(); // fcntl(F_SETLKW), whole file, exclusive
            assertEquals("busy", probe(file), () -> impl + ": another process got a POSIX lock on " + name
                    + " while this one held it\n" + output[0].get());
            lock.release();
            assertEquals("acquired", probe(file), () -> impl + ": the POSIX lock on " + name
                    + " still blocks another process after release\n" + output[0].get());
        }
    }

    /** Child JVM running {@link LockProbe}: "busy" or "acquired". */
    private static String probe(Path file) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(JoverMount.javaCommand());
        cmd.add(LockProbe.class.getName());
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "probe timed out";
        }
        return out;
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** Ends the holder and the command it started (by their own pids). */
    private static void stop(Process holder) throws InterruptedException {
        List<ProcessHandle> children = holder.descendants().toList();
        holder.destroy();
        for (ProcessHandle c : children) {
            c.destroy();
        }
        holder.waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle c : children) {
            c.onExit().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS);
        }
    }

    /** Tries a POSIX lock on a file and says whether it got it. */
    public static final class LockProbe {
        private LockProbe() {
        }

        public static void main(String[] args) throws IOException {
            try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                FileLock l = ch.tryLock();
                System.out.println(l == null ? "busy" : "acquired");
                if (l != null) {
                    l.release();
                }
            }
        }
    }
}
