package jover.copyup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.testing.FsCalls;
import jover.testing.JoverMount;

/**
 * The race between lookups of a name and the copy-up of its lower file (issue 10, step 2).
 * Writers append a line to lower files one after another (each append copies a file up) while
 * readers look up and stat the very names being appended, and list their directory. After an
 * append has returned, every way of asking must show the new size and content: the write fd's
 * attributes, a stat by name, a new open. A lookup that resolved the name to its lower file
 * before the copy-up and was merged into the node after it would make the node denote the lower
 * file again: stats by node and new opens would show the old size.
 *
 * <p>Attributes are asked with AT_STATX_FORCE_SYNC, so each one reaches jover; the mount runs with
 * {@code timeout=0}, so each path walk sends a LOOKUP. Runs in epochs: a fresh lower directory
 * of files per mount, until the time is up. {@link #main} runs it for minutes (bench/race.sh);
 * {@link LookupRaceTest} runs a short version in every build.
 */
final class LookupRace {
    /** What one run does. */
    record Settings(String passthrough, Duration duration, int filesPerEpoch, int writers, int readers) {
    }

    /** What a run did and found. */
    record Result(int epochs, long appends, long statsByName, long listings, boolean passthroughActive,
                  List<String> failures) {
        @Override
        public String toString() {
            return "epochs=" + epochs + " appends=" + appends + " reader-stats=" + statsByName + " listings="
                    + listings + " passthrough=" + (passthroughActive ? "active" : "inactive") + " failures="
                    + failures.size();
        }
    }

    /** Mounts jover on an epoch's layers (tests track the mount for teardown). */
    interface Mounter {
        JoverMount mount(Path lower, Path upper, Path work, Path mountPoint, List<String> options) throws IOException;
    }

    private static final int MAX_FAILURES_KEPT = 20;

    private final Settings settings;
    private final Mounter mounter;
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong failureCount = new AtomicLong();
    private final AtomicLong appends = new AtomicLong();
    private final AtomicLong statsByName = new AtomicLong();
    private final AtomicLong listings = new AtomicLong();

    LookupRace(Settings settings, Mounter mounter) {
        this.settings = settings;
        this.mounter = mounter;
    }

    /** Runs epochs under {@code base} until the duration is up (at least one epoch). */
    Result run(Path base) throws IOException, InterruptedException {
        long end = System.nanoTime() + settings.duration().toNanos();
        int epochs = 0;
        boolean passthrough = false;
        do {
            passthrough |= epoch(base.resolve("e" + epochs));
            epochs++;
        } while (System.nanoTime() < end && failureCount.get() == 0);
        List<String> kept = new ArrayList<>(failures);
        if (failureCount.get() > kept.size()) {
            kept.add("... " + (failureCount.get() - kept.size()) + " more");
        }
        return new Result(epochs, appends.get(), statsByName.get(), listings.get(), passthrough, kept);
    }

    static String name(int i) {
        return String.format("f%05d", i);
    }

    static byte[] lowerContent(String name) {
        return ("lower " + name + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] appendedLine(String name) {
        return ("appended to " + name + " through the mount\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] expected(String name) {
        byte[] a = lowerContent(name);
        byte[] b = appendedLine(name);
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** One mount: returns whether passthrough was active. */
    private boolean epoch(Path dir) throws IOException, InterruptedException {
        Path lowerDir = Files.createDirectories(dir.resolve("lower/d"));
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Path work = Files.createDirectories(dir.resolve("work"));
        for (int i = 0; i < settings.filesPerEpoch(); i++) {
            Files.write(lowerDir.resolve(name(i)), lowerContent(name(i)));
        }
        JoverMount m = mounter.mount(dir.resolve("lower"), upper, work, dir.resolve("mnt"),
                List.of("timeout=0", "passthrough=" + settings.passthrough()));
        try {
            boolean passthrough = m.stats().line().contains("passthrough=1");
            new Epoch(m.mountPoint().resolve("d")).run();
            return passthrough;
        } finally {
            m.close();
            m.stderrLines().stream().filter(l -> l.contains("internal error")).limit(5)
                    .forEach(l -> fail("daemon: " + l));
            checkUpperOnDisk(upper.resolve("d"));
            if (!m.isMounted()) {
                deleteTree(dir); // epochs add up over a long run
            }
        }
    }

    /** Deletes an epoch's directory (plain files and directories only: nothing here is a link). */
    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** After unmount: every file was copied up with its appended line. */
    private void checkUpperOnDisk(Path upperDir) throws IOException {
        for (int i = 0; i < settings.filesPerEpoch(); i++) {
            Path f = upperDir.resolve(name(i));
            if (!Files.exists(f) || !Arrays.equals(expected(name(i)), Files.readAllBytes(f))) {
                fail("upper on disk: " + f + " is missing or holds other data");
            }
        }
    }

    void fail(String what) {
        if (failureCount.incrementAndGet() <= MAX_FAILURES_KEPT) {
            failures.add(what);
        }
    }

    /** The threads of one epoch on directory {@code d} of the mount. */
    private final class Epoch {
        private final Path d;
        private final AtomicInteger next = new AtomicInteger();
        /** The name each writer works on now. */
        private final AtomicReferenceArray<String> targets;
        /** Names whose append has returned, with the size they must show from then on. */
        private final ConcurrentHashMap<String, Long> appended = new ConcurrentHashMap<>();
        private volatile boolean writing = true;

        Epoch(Path d) {
            this.d = d;
            this.targets = new AtomicReferenceArray<>(settings.writers());
        }

        void run() throws InterruptedException {
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < settings.readers(); r++) {
                readers.add(start("race-reader-" + r, this::readLoop));
            }
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < settings.writers(); w++) {
                int slot = w;
                writers.add(start("race-writer-" + w, () -> writeLoop(slot)));
            }
            for (Thread t : writers) {
                t.join();
            }
            writing = false;
            for (Thread t : readers) {
                t.join();
            }
            for (int i = 0; i < settings.filesPerEpoch(); i++) {
                checkName("final check", name(i));
            }
        }

        private Thread start(String threadName, Runnable body) {
            Thread t = new Thread(() -> {
                try {
                    body.run();
                } catch (RuntimeException e) {
                    fail(threadName + ": " + e);
                }
            }, threadName);
            t.setDaemon(true);
            t.start();
            return t;
        }

        private void writeLoop(int slot) {
            for (int i = next.getAndIncrement(); i < settings.filesPerEpoch(); i = next.getAndIncrement()) {
                String name = name(i);
                targets.set(slot, name);
                try {
                    appendAndCheck(name);
                } catch (ErrnoException e) {
                    fail("writer on " + name + ": " + e.getMessage());
                }
            }
        }

        private void appendAndCheck(String name) throws ErrnoException {
            String path = Raw.of(d.resolve(name));
            int fd = FsCalls.open(path, Linux.O_WRONLY | Linux.O_APPEND, 0);
            try {
                FsCalls.write(fd, appendedLine(name));
                long want = expected(name).length;
                appended.put(name, want);
                appends.incrementAndGet();
                expectSize("fstat of the write fd", name, FsCalls.fstatSizeSynced(fd), want);
            } finally {
                FsCalls.close(fd);
            }
            checkName("after the append", name);
        }

        /** A stat by name and a new open must show the appended file. */
        private void checkName(String when, String name) {
            String path = Raw.of(d.resolve(name));
            long want = expected(name).length;
            try {
                expectSize(when + ", stat by name", name, FsCalls.lstatSizeSynced(path), want);
                int fd = FsCalls.open(path, Linux.O_RDONLY, 0);
                try {
                    expectSize(when + ", fstat of a new read fd", name, FsCalls.fstatSizeSynced(fd), want);
                    byte[] data = FsCalls.pread(fd, 4096, 0);
                    if (!Arrays.equals(expected(name), data)) {
                        fail(when + ", read of " + name + ": " + new String(data, StandardCharsets.US_ASCII).strip());
                    }
                } finally {
                    FsCalls.close(fd);
                }
            } catch (ErrnoException e) {
                fail(when + " of " + name + ": " + e.getMessage());
            }
        }

        private void expectSize(String what, String name, long size, long want) {
            if (size != want) {
                fail(what + " of " + name + ": size " + size + ", " + want + " after the append");
            }
        }

        /** Stats of the names being appended (most), of appended names, and listings of d. */
        private void readLoop() {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (writing) {
                int pick = rnd.nextInt(100);
                if (pick < 85) {
                    statName(targets.get(rnd.nextInt(targets.length())));
                } else if (pick < 95) {
                    statName(name(rnd.nextInt(Math.max(1, Math.min(next.get(), settings.filesPerEpoch())))));
                } else {
                    list();
                }
            }
        }

        private void statName(String name) {
            if (name == null) {
                return;
            }
            Long want = appended.get(name); // read before the stat: if set, the append has returned
            try {
                long size = FsCalls.lstatSizeSynced(Raw.of(d.resolve(name)));
                statsByName.incrementAndGet();
                if (want != null) {
                    expectSize("reader's stat by name", name, size, want);
                }
            } catch (ErrnoException e) {
                fail("reader's stat of " + name + ": " + e.getMessage());
            }
        }

        private void list() {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
                for (Path p : s) {
                    p.getFileName();
                }
                listings.incrementAndGet();
            } catch (IOException e) {
                fail("listing: " + e);
            }
        }
    }

    /**
     * Runs the race for a while and prints what it did: {@code LookupRace MINUTES PASSTHROUGH
     * [FILES WRITERS READERS]}. Exit status 1 when anything failed.
     */
    public static void main(String[] args) throws Exception {
        double minutes = Double.parseDouble(args[0]);
        Settings s = new Settings(args[1], Duration.ofMillis((long) (minutes * 60_000)),
                args.length > 2 ? Integer.parseInt(args[2]) : 2000, args.length > 3 ? Integer.parseInt(args[3]) : 2,
                args.length > 4 ? Integer.parseInt(args[4]) : 4);
        Path base = Files.createTempDirectory("jover-race-");
        long start = System.nanoTime();
        Result r = new LookupRace(s, (lower, upper, work, mnt, options) ->
                JoverMount.mount(List.of(lower), Optional.of(upper), Optional.of(work), mnt, false, options))
                .run(base);
        System.out.printf("LookupRace %s passthrough=%s %.1f min: %s%n", s, args[1],
                (System.nanoTime() - start) / 60e9, r);
        r.failures().forEach(f -> System.out.println("  " + f));
        Files.deleteIfExists(base);
        System.exit(r.failures().isEmpty() ? 0 : 1);
    }
}
