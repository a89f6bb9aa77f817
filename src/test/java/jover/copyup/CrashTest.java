package jover.copyup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.testing.Environment;
import jover.testing.FsCalls;
import jover.testing.HostCalls;
import jover.testing.JoverMount;
import jover.testing.KernelOverlay;
import jover.testing.MountFixture;
import jover.testing.TreeSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGKILL in the middle of copy-ups. 200 lower files of 1-4 MiB in four directories; four
 * threads append to 120 of them (each open for append copies the file up), two threads rename
 * 60 others between the directories (one or two hops each), 20 stay untouched. Once a random
 * share of the operations has completed the daemon gets SIGKILL; then the connection is gone
 * and the mount is detached ({@link JoverMount#close()}), and jover is mounted again on the same
 * upper and work directories. Then:
 *
 * <ul>
 *   <li>every file is visible exactly once, at the name of its last completed rename or at the
 *       one of a rename in flight at the kill;</li>
 *   <li>every file is its lower original followed by a prefix of its append stream at least as
 *       long as the appends that completed before the kill: never a truncated copy;</li>
 *   <li>nothing else is visible (no {@code #jover...} name of the work directory), and
 *       {@code WORKDIR/work} is empty after the remount;</li>
 *   <li>kernel overlayfs mounted on that upper shows the same tree ({@link TreeSnapshot}).</li>
 * </ul>
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrashTest {
    private static final int FILES = 200;
    private static final int DIRS = 4;
    private static final int APPENDERS = 4;
    private static final int RENAMERS = 2;
    private static final int APPEND_CHUNK = 16 * 1024;
    private static final int APPEND_WRITES = 4;

    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireFuseAndKernelOverlay();
    }

    enum Role { APPEND, RENAME, UNTOUCHED }

    /** One lower file and what happens to it. */
    static final class F {
        final int index;
        final Role role;
        final long size;
        final String hash;
        /** Relative paths it may have: the lower one, then one per rename hop. */
        final List<String> names = new ArrayList<>();
        final byte[] appendStream;

        F(int index, Role role, long size, String hash, int hops, long seed) {
            this.index = index;
            this.role = role;
            this.size = size;
            this.hash = hash;
            String base = String.format("f%03d", index);
            int dir = index % DIRS;
            names.add("a" + dir + "/" + base);
            for (int h = 1; h <= hops; h++) {
                names.add("a" + ((dir + h) % DIRS) + "/" + base + ".r" + h);
            }
            this.appendStream = role == Role.APPEND
                    ? CopyUpTools.pseudoRandom(seed * 7919 + index, APPEND_CHUNK * APPEND_WRITES) : new byte[0];
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void killedDuringCopyUpsLeavesNoHalfCopiedFile(long seed) throws Exception {
        Path base = fx.newDir("copyup-crash");
        Path lower = base.resolve("lower");
        Path upper = base.resolve("upper");
        Path work = base.resolve("work");
        Files.createDirectories(upper);
        Files.createDirectories(work);
        List<F> files = writeLower(lower, seed);

        JoverMount jover = fx.track(JoverMount.mount(List.of(lower), Optional.of(upper), Optional.of(work),
                base.resolve("mnt"), false, List.of()));
        Path mnt = jover.mountPoint();
        CopyUpTools.copyups(jover); // the daemon is ready for signals

        // --- the workload, killed part-way ---
        AtomicIntegerArray appended = new AtomicIntegerArray(FILES); // bytes whose write(2) returned
        AtomicIntegerArray hopsDone = new AtomicIntegerArray(FILES);
        AtomicInteger opsDone = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        List<String> errorsBeforeKill = Collections.synchronizedList(new ArrayList<>());
        Random rnd = new Random(seed);
        List<List<F>> appendWork = partition(files, Role.APPEND, APPENDERS, rnd);
        List<List<F>> renameWork = partition(files, Role.RENAME, RENAMERS, rnd);
        int totalOps = 0;
        for (F f : files) {
            totalOps += f.role == Role.APPEND ? APPEND_WRITES : f.names.size() - 1;
        }
        int killAt = (int) (totalOps * (0.1 + 0.7 * rnd.nextDouble()));

        List<Thread> threads = new ArrayList<>();
        for (List<F> part : appendWork) {
            threads.add(worker("crash-appender", () -> {
                for (F f : part) {
                    append(mnt, f, appended, opsDone);
                }
            }, killed, errorsBeforeKill));
        }
        for (List<F> part : renameWork) {
            threads.add(worker("crash-renamer", () -> {
                for (F f : part) {
                    for (int h = 1; h < f.names.size(); h++) {
                        FsCalls.rename2(Raw.of(mnt.resolve(f.names.get(h - 1))), Raw.of(mnt.resolve(f.names.get(h))),
                                0);
                        hopsDone.set(f.index, h);
                        opsDone.incrementAndGet();
                    }
                }
            }, killed, errorsBeforeKill));
        }
        long t0 = System.nanoTime();
        threads.forEach(Thread::start);
        while (opsDone.get() < killAt && threads.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(0, 200_000);
        }
        Thread.sleep(rnd.nextInt(5));
        killed.set(true);
        jover.signal(HostCalls.SIGKILL);
        int doneAtKill = opsDone.get();
        long killMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        Optional<Integer> exit = jover.waitForExit(Duration.ofSeconds(20));
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        List<String> problems = new ArrayList<>(errorsBeforeKill);
        for (Thread t : threads) {
            if (t.isAlive()) {
                problems.add(t.getName() + " still blocked 30 s after the kill");
            }
        }
        jover.close(); // the connection died with the daemon; detach the mount
        List<String> debris = CopyUpTools.names(work.resolve("work"));
        System.out.println("CrashTest seed " + seed + ": killed after " + killMs + " ms, " + doneAtKill + " of "
                + totalOps + " operations done (target " + killAt + "), daemon exit " + exit.orElse(null)
                + ", work/work held " + debris.size() + " entr" + (debris.size() == 1 ? "y" : "ies") + " " + debris);
        if (!problems.isEmpty()) {
            assertTrue(false, "before the checks:\n- " + String.join("\n- ", problems) + "\n" + jover.output());
        }

        // --- jover again on the same upper and work ---
        JoverMount again = fx.track(JoverMount.mount(List.of(lower), Optional.of(upper), Optional.of(work),
                base.resolve("mnt2"), false, List.of()));
        List<String> left = CopyUpTools.names(work.resolve("work"));
        if (!left.isEmpty()) {
            problems.add("WORKDIR/work still holds " + left + " after the remount");
        }
        TreeSnapshot joverView = TreeSnapshot.of(again.mountPoint());
        problems.addAll(checkView(again.mountPoint(), joverView, files, appended, hopsDone));
        List<String> work1 = joverView.pathsWithNamePrefix("#jover");
        if (!work1.isEmpty()) {
            problems.add("work-directory names visible: " + work1);
        }
        if (!joverView.anomalies().isEmpty()) {
            problems.add("jover mount anomalies: " + joverView.anomalies());
        }
        String output = again.output();
        again.close();

        // --- kernel overlayfs on the same directories ---
        try (KernelOverlay k = KernelOverlay.mount(List.of(lower), Optional.of(upper), Optional.of(work),
                base.resolve("mnt-kernel"), false)) {
            TreeSnapshot kernelView = TreeSnapshot.of(k.mountPoint());
            String diff = kernelView.diff(joverView, "kernel on the upper", "jover on the upper");
            if (!diff.isEmpty()) {
                problems.add("kernel overlayfs shows another tree:\n" + diff);
            }
            // all layers share one filesystem: both report the real (origin's) inode numbers
            for (String p : joverView.entries().keySet()) {
                Long kino = kernelView.inos().get(p);
                Long jino = joverView.inos().get(p);
                if (kino != null && !kino.equals(jino)) {
                    problems.add("st_ino of /" + Raw.display(p) + ": kernel " + kino + ", jover " + jino);
                }
            }
            if (!kernelView.anomalies().isEmpty()) {
                problems.add("kernel mount anomalies: " + kernelView.anomalies());
            }
        }
        int ops = totalOps;
        assertTrue(problems.isEmpty(), () -> "seed " + seed + ", killed after " + doneAtKill + " of " + ops
                + " operations:\n- " + String.join("\n- ", problems.subList(0, Math.min(60, problems.size())))
                + "\n" + output);
    }

    /** The lower layer: file i in directory a(i % 4), 1-4 MiB of seeded data; its role by i % 10. */
    private static List<F> writeLower(Path lower, long seed) throws IOException {
        for (int d = 0; d < DIRS; d++) {
            Files.createDirectories(lower.resolve("a" + d));
        }
        SplittableRandom sizes = new SplittableRandom(seed);
        List<F> out = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        for (int i = 0; i < FILES; i++) {
            int r = i % 10;
            Role role = r <= 5 ? Role.APPEND : r <= 8 ? Role.RENAME : Role.UNTOUCHED;
            int hops = role == Role.RENAME ? (r == 8 ? 2 : 1) : 0;
            long size = (1 << 20) + sizes.nextInt(3 << 20);
            SplittableRandom data = new SplittableRandom(seed * 1_000_003 + i);
            MessageDigest md = CopyUpTools.sha256();
            Path p = lower.resolve("a" + (i % DIRS)).resolve(String.format("f%03d", i));
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long left = size;
                while (left > 0) {
                    int n = (int) Math.min(left, buf.capacity());
                    byte[] chunk = new byte[n];
                    data.nextBytes(chunk);
                    md.update(chunk);
                    ch.write(ByteBuffer.wrap(chunk));
                    left -= n;
                }
            }
            out.add(new F(i, role, size, CopyUpTools.hex(md.digest()), hops, seed));
        }
        return out;
    }

    private static List<List<F>> partition(List<F> files, Role role, int parts, Random rnd) {
        List<F> mine = new ArrayList<>();
        for (F f : files) {
            if (f.role == role) {
                mine.add(f);
            }
        }
        Collections.shuffle(mine, rnd);
        List<List<F>> out = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < mine.size(); i++) {
            out.get(i % parts).add(mine.get(i));
        }
        return out;
    }

    private static void append(Path mnt, F f, AtomicIntegerArray appended, AtomicInteger opsDone)
            throws ErrnoException {
        int fd = FsCalls.open(Raw.of(mnt.resolve(f.names.get(0))), Linux.O_WRONLY | Linux.O_APPEND, 0);
        try {
            for (int w = 0; w < APPEND_WRITES; w++) {
                byte[] chunk = Arrays.copyOfRange(f.appendStream, w * APPEND_CHUNK, (w + 1) * APPEND_CHUNK);
                long n = FsCalls.write(fd, chunk);
                appended.addAndGet(f.index, (int) n);
                opsDone.incrementAndGet();
                if (n != chunk.length) {
                    throw new IllegalStateException("short append to " + f.names.get(0) + ": " + n);
                }
            }
        } finally {
            FsCalls.close(fd);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    /** A thread running {@code work}; an error before the kill is recorded, after it ends the thread quietly. */
    private static Thread worker(String name, Work work, AtomicBoolean killed, List<String> errors) {
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (Exception e) {
                if (!killed.get()) {
                    errors.add(Thread.currentThread().getName() + " failed before the kill: " + e);
                }
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    /** The expectations on the remounted view, per file and for the tree as a whole. */
    private static List<String> checkView(Path mnt, TreeSnapshot view, List<F> files, AtomicIntegerArray appended,
            AtomicIntegerArray hopsDone) throws IOException {
        List<String> out = new ArrayList<>();
        Set<String> allowed = new TreeSet<>(List.of(""));
        for (int d = 0; d < DIRS; d++) {
            allowed.add("a" + d);
        }
        for (F f : files) {
            allowed.addAll(f.names);
            List<Integer> visible = new ArrayList<>();
            for (int h = 0; h < f.names.size(); h++) {
                if (view.entries().containsKey(f.names.get(h))) {
                    visible.add(h);
                }
            }
            int done = hopsDone.get(f.index);
            if (visible.size() != 1) {
                out.add(f.names.get(0) + " (" + f.role + ", " + done + " rename(s) completed) is visible at "
                        + visible.size() + " names " + visible.stream().map(f.names::get).toList()
                        + ", expected exactly one");
                continue;
            }
            int at = visible.get(0);
            if (at < done || at > done + 1) {
                out.add(f.names.get(0) + ": visible as " + f.names.get(at) + " but " + done
                        + " rename(s) had completed");
            }
            String name = f.names.get(at);
            TreeSnapshot.Entry e = view.entries().get(name);
            if (e.type() != 'f') {
                out.add(name + ": type " + e.type() + ", expected a regular file");
                continue;
            }
            Path p = mnt.resolve(name);
            long size = e.size();
            long extra = size - f.size;
            if (extra < 0) {
                out.add(name + ": TRUNCATED: " + size + " bytes, the lower file has " + f.size);
                continue;
            }
            MessageDigest md = CopyUpTools.sha256();
            CopyUpTools.digest(md, p, f.size);
            if (!CopyUpTools.hex(md.digest()).equals(f.hash)) {
                out.add(name + ": its first " + f.size + " bytes are not the lower file's data");
            }
            int confirmed = appended.get(f.index);
            if (extra > f.appendStream.length || extra < confirmed) {
                out.add(name + ": " + extra + " bytes after the lower data; appends that completed: " + confirmed
                        + ", all appends: " + f.appendStream.length);
                continue;
            }
            byte[] tail = CopyUpTools.readAt(p, f.size, (int) extra);
            if (!Arrays.equals(tail, Arrays.copyOf(f.appendStream, (int) extra))) {
                out.add(name + ": the " + extra + " bytes after the lower data are not the appended data");
            }
        }
        for (String p : view.entries().keySet()) {
            if (!allowed.contains(p)) {
                out.add("unexpected path visible: /" + Raw.display(p) + " " + view.entries().get(p).describe());
            }
        }
        return out;
    }
}
