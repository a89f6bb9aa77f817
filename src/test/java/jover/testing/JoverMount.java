package jover.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.sys.Sys;

/**
 * The jover daemon under test, in its own process:
 * {@code java -cp <test class path> jover.cli.Main mount -f -o lowerdir=...[,upperdir=,workdir=][,userxattr] MNT}.
 * Its stdout and stderr are read continuously (kept for assertions and failure messages).
 * {@link #close()} always cleans up in bounded time, even when the daemon hangs: umount (5 s),
 * else lazy unmount plus fusectl abort of the connection, then SIGTERM and SIGKILL.
 */
public final class JoverMount implements AutoCloseable {
    public static final String FSTYPE = "fuse.jover";
    private static final Path FUSECTL = Path.of("/sys/fs/fuse/connections");
    private static final Set<JoverMount> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (JoverMount m : LIVE) {
                m.emergencyStop();
            }
        }, "jover-mount-emergency-cleanup"));
    }

    /**
     * What SIGUSR1 makes the daemon print: live node ids (root included), open handles, and
     * copy-ups done since mount ({@code copyups}; -1 when the daemon's line lacks it).
     */
    public record Stats(long nodes, long handles, long dirhandles, long copyups, String line) {
        /** Copy-ups since mount; fails when the daemon does not report them. */
        public long requireCopyups() {
            if (copyups < 0) {
                throw new IllegalStateException("the daemon's stats line has no copyups counter: " + line);
            }
            return copyups;
        }
    }

    /** The outcome of a short command run to completion. */
    public record CommandResult(int exitCode, String stdout, String stderr) {
    }

    private final Path mountPoint;
    private final List<String> command;
    private final Process process;
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final List<String> statsLines = new ArrayList<>();
    private final Thread errReader;
    private final Thread outReader;
    private volatile int connection = -1;
    private boolean closed;

    private JoverMount(Path mountPoint, List<String> command, Process process) {
        this.mountPoint = mountPoint;
        this.command = List.copyOf(command);
        this.process = process;
        this.errReader = reader(process.getErrorStream(), stderr, true, "jover-stderr-" + process.pid());
        this.outReader = reader(process.getInputStream(), stdout, false, "jover-stdout-" + process.pid());
    }

    /** Read-only mount of {@code lowers} (topmost first). */
    public static JoverMount mount(List<Path> lowers, Path mountPoint) throws IOException {
        return mount(lowers, Optional.empty(), Optional.empty(), mountPoint, false, List.of());
    }

    /**
     * Starts the daemon and waits up to 30 s for the mount; fails at once, with the daemon's
     * stderr, if the process exits first.
     */
    public static JoverMount mount(List<Path> lowers, Optional<Path> upper, Optional<Path> work, Path mountPoint,
            boolean userxattr, List<String> extraOptions) throws IOException {
        List<String> opts = new ArrayList<>();
        List<String> lowerParts = new ArrayList<>();
        for (Path l : lowers) {
            lowerParts.add(escape(l));
        }
        opts.add("lowerdir=" + String.join(":", lowerParts));
        upper.ifPresent(u -> opts.add("upperdir=" + escape(u)));
        work.ifPresent(w -> opts.add("workdir=" + escape(w)));
        if (userxattr) {
            opts.add("userxattr");
        }
        opts.addAll(extraOptions);
        Files.createDirectories(mountPoint);
        Path mnt = mountPoint.toRealPath();
        List<String> cmd = javaCommand();
        cmd.addAll(List.of("jover.cli.Main", "mount", "-f", "-o", String.join(",", opts), mnt.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        JoverMount m = new JoverMount(mnt, cmd, pb.start());
        LIVE.add(m);
        try {
            m.awaitMounted(Duration.ofSeconds(30));
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    private static String escape(Path p) {
        String s = p.toAbsolutePath().toString();
        if (s.contains(",")) {
            throw new IllegalArgumentException("comma in path " + s);
        }
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }

    /** {@code java -cp <the test class path>}, ready for a main class and its arguments. */
    public static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(classPath());
        return cmd;
    }

    /**
     * The class path for the daemon: the test's own (surefire's real one when it hides it behind a
     * manifest-only jar), with its directories (target/classes, target/test-classes) copied once
     * per test JVM to a private temp dir, so a concurrent rebuild of the shared target/ does not
     * break daemons started later (ClassNotFoundException halfway through a run).
     * -Djover.test.copyClasses=false uses the directories in place.
     */
    public static synchronized String classPath() {
        if (classPath == null) {
            String surefire = System.getProperty("surefire.test.class.path");
            String cp = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
            classPath = Boolean.parseBoolean(System.getProperty("jover.test.copyClasses", "true"))
                    ? privateCopy(cp) : cp;
        }
        return classPath;
    }

    private static String classPath;

    private static String privateCopy(String cp) {
        try {
            Path base = Files.createTempDirectory("jover-test-classpath-");
            List<String> out = new ArrayList<>();
            int i = 0;
            for (String entry : cp.split(java.io.File.pathSeparator)) {
                Path p = Path.of(entry);
                if (entry.isEmpty() || !Files.isDirectory(p)) {
                    out.add(entry);
                    continue;
                }
                Path copy = base.resolve(Integer.toString(i++));
                try (java.util.stream.Stream<Path> walk = Files.walk(p)) {
                    for (Path src : (Iterable<Path>) walk::iterator) {
                        Path dst = copy.resolve(p.relativize(src).toString());
                        if (Files.isDirectory(src, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                            Files.createDirectories(dst);
                        } else if (Files.isRegularFile(src, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                            Files.copy(src, dst);
                        }
                    }
                }
                out.add(copy.toString());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    MountFixture.deleteTree(base);
                } catch (ErrnoException | RuntimeException e) {
                    // left in the temp dir
                }
            }, "jover-test-classpath-cleanup"));
            return String.join(java.io.File.pathSeparator, out);
        } catch (IOException e) {
            System.err.println("jover tests: could not copy the class path, using it in place: " + e);
            return cp;
        }
    }

    /** Runs {@code jover.cli.Main args...} to completion (killed after {@code timeout}). */
    public static CommandResult runCli(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> cmd = javaCommand();
        cmd.add("jover.cli.Main");
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("jover-cli-", ".out");
        Path err = Files.createTempFile("jover-cli-", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IOException("timed out after " + timeout + ": " + String.join(" ", cmd) + "\nstderr:\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new CommandResult(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private Thread reader(InputStream in, List<String> sink, boolean watchStats, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.add(line);
                    if (watchStats && line.contains("jover-stats")) {
                        synchronized (statsLines) {
                            statsLines.add(line);
                            statsLines.notifyAll();
                        }
                    }
                }
            } catch (IOException e) {
                sink.add("(reading the daemon's output failed: " + e + ")");
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void awaitMounted(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<MountInfo> m = ourMount();
            if (m.isPresent()) {
                connection = m.get().minor();
                return;
            }
            if (!process.isAlive()) {
                try {
                    joinReaders(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("jover exited with code " + process.exitValue() + " before mounting "
                        + mountPoint + "\ncommand: " + String.join(" ", command) + "\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("jover did not mount " + mountPoint + " within " + timeout + "\n" + output());
            }
            sleep(20);
        }
    }

    /** The fuse.jover mount at our mount point, read from /proc/self/mountinfo (never stats the mount). */
    public Optional<MountInfo> ourMount() {
        return MountInfo.at(mountPoint).filter(m -> m.fsType().equals(FSTYPE));
    }

    public boolean isMounted() {
        return ourMount().isPresent();
    }

    public Path mountPoint() {
        return mountPoint;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** The FUSE connection number (minor device of the mount), -1 before mounting. */
    public int connection() {
        return connection;
    }

    /** Lines the daemon printed on stderr so far. */
    public List<String> stderrLines() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    /** The daemon's stdout and stderr so far, for failure messages. */
    public String output() {
        StringBuilder b = new StringBuilder("--- jover stderr (pid " + process.pid() + ") ---\n");
        for (String l : stderrLines()) {
            b.append(l).append('\n');
        }
        synchronized (stdout) {
            if (!stdout.isEmpty()) {
                b.append("--- jover stdout ---\n");
                for (String l : stdout) {
                    b.append(l).append('\n');
                }
            }
        }
        return b.append("---").toString();
    }

    /** Sends SIGUSR1 and returns the counters of the line the daemon prints (waits up to 5 s). */
    public Stats stats() throws IOException, InterruptedException {
        int before;
        synchronized (statsLines) {
            before = statsLines.size();
        }
        try {
            HostCalls.kill(process.pid(), HostCalls.SIGUSR1);
        } catch (ErrnoException e) {
            throw new IOException("SIGUSR1 to jover: " + e.getMessage() + "\n" + output(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String line;
        synchronized (statsLines) {
            while (statsLines.size() <= before) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new IOException("no jover-stats line within 5 s of SIGUSR1\n" + output());
                }
                statsLines.wait(left);
            }
            line = statsLines.get(statsLines.size() - 1);
        }
        Map<String, Long> values = new LinkedHashMap<>();
        for (String part : line.substring(line.indexOf("jover-stats")).split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                try {
                    values.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
                } catch (NumberFormatException e) {
                    // not a counter
                }
            }
        }
        if (!values.containsKey("nodes") || !values.containsKey("handles") || !values.containsKey("dirhandles")) {
            throw new IOException("unexpected stats line: " + line);
        }
        return new Stats(values.get("nodes"), values.get("handles"), values.get("dirhandles"),
                values.getOrDefault("copyups", -1L), line);
    }

    /** umount2(MNT, 0): the daemon should then exit by itself. */
    public void unmount() throws IOException {
        try {
            Sys.umount(Raw.of(mountPoint), 0);
        } catch (ErrnoException e) {
            throw new IOException("umount " + mountPoint + ": " + e.getMessage(), e);
        }
    }

    /** Sends a signal to the daemon. */
    public void signal(int signal) throws IOException {
        try {
            HostCalls.kill(process.pid(), signal);
        } catch (ErrnoException e) {
            throw new IOException("kill -" + signal + " " + process.pid() + ": " + e.getMessage(), e);
        }
    }

    /** Waits for the daemon to exit; its exit code, or empty if it is still running. */
    public Optional<Integer> waitForExit(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            joinReaders(2000);
            return Optional.of(process.exitValue());
        }
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Optional<MountInfo> m = ourMount();
            int conn = m.map(MountInfo::minor).orElse(-1);
            if (m.isPresent()) {
                boolean unmounted = runBounded("umount " + mountPoint,
                        () -> Sys.umount(Raw.of(mountPoint), 0), Duration.ofSeconds(5));
                if (!unmounted) {
                    runBounded("umount -l " + mountPoint,
                            () -> Sys.umount(Raw.of(mountPoint), Linux.MNT_DETACH), Duration.ofSeconds(5));
                    abortConnection(conn);
                }
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
            if (ourMount().isPresent()) {
                // daemon gone, mount left behind (or umount failed): detach and abort
                int c = ourMount().map(MountInfo::minor).orElse(conn);
                runBounded("umount -l " + mountPoint, () -> Sys.umount(Raw.of(mountPoint), Linux.MNT_DETACH),
                        Duration.ofSeconds(5));
                abortConnection(c);
            }
            joinReaders(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emergencyStop();
        } finally {
            LIVE.remove(this);
        }
    }

    /** Shutdown path: no waiting beyond what is unavoidable. */
    private void emergencyStop() {
        Optional<MountInfo> m = ourMount();
        if (m.isPresent()) {
            try {
                Sys.umount(Raw.of(mountPoint), Linux.MNT_DETACH);
            } catch (ErrnoException | RuntimeException e) {
                // best effort
            }
            abortConnection(m.get().minor());
        }
        process.destroyForcibly();
    }

    private interface Call {
        void run() throws Exception;
    }

    /** Runs {@code call} in a daemon thread; true if it returned without an exception in time. */
    private static boolean runBounded(String what, Call call, Duration timeout) throws InterruptedException {
        boolean[] ok = {false};
        Thread t = new Thread(() -> {
            try {
                call.run();
                ok[0] = true;
            } catch (Exception e) {
                System.err.println("jover test cleanup: " + what + ": " + e.getMessage());
            }
        }, "jover-cleanup");
        t.setDaemon(true);
        t.start();
        t.join(timeout.toMillis());
        if (t.isAlive()) {
            System.err.println("jover test cleanup: " + what + " still blocked after " + timeout);
            return false;
        }
        return ok[0];
    }

    /** echo 1 > /sys/fs/fuse/connections/N/abort, mounting fusectl first if needed. */
    public static void abortConnection(int minor) {
        if (minor < 0) {
            return;
        }
        try {
            boolean fusectl = MountInfo.read().stream()
                    .anyMatch(m -> m.fsType().equals("fusectl") && m.mountPoint().equals(FUSECTL.toString()));
            if (!fusectl) {
                Sys.mount("fusectl", FUSECTL.toString(), "fusectl", 0, "");
            }
            Path abort = FUSECTL.resolve(Integer.toString(minor)).resolve("abort");
            if (Files.exists(abort)) {
                Files.writeString(abort, "1");
                System.err.println("jover test cleanup: aborted FUSE connection " + minor);
            }
        } catch (ErrnoException | IOException | RuntimeException e) {
            System.err.println("jover test cleanup: abort of FUSE connection " + minor + " failed: " + e);
        }
    }

    private void joinReaders(long millis) throws InterruptedException {
        errReader.join(millis);
        outReader.join(millis);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "jover pid " + process.pid() + " at " + mountPoint;
    }
}
