package jover.copyup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.testing.Environment;
import jover.testing.FsCalls;
import jover.testing.JoverMount;
import jover.testing.KernelOverlay;
import jover.testing.MountFixture;
import jover.testing.UpperSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Eight writers open one lower file for writing at the same moment and each writes its own
 * 4 KiB block (pwrite at i * 4096): exactly one copy-up happens (jover's copy-up counter), every
 * block arrives, the rest of the data is the lower file's. Several rounds on different files
 * (sizes from 1 to 32 MiB, so some copy-ups last long enough for every open to wait on one),
 * with threads of this JVM and with eight dd processes.
 *
 * <p>Readers opened read-only before the copy-up: kernel overlayfs re-targets read(2) to the
 * upper copy, so they see the new blocks; jover does the same with {@code passthrough=off}. With
 * passthrough active such a reader keeps reading the lower file, a deliberate difference the
 * README lists: the test expects it then and says so in its output.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrentCopyUpTest {
    private static final int WRITERS = 8;
    private static final int BLOCK = 4096;

    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireFuseAndKernelOverlay();
    }

    /** One round: a file, how the writers run, whether readers were opened before. */
    record Round(String name, int size, boolean processes, boolean readers, int access) {
    }

    static final List<Round> ROUNDS = List.of(
            new Round("r0", (1 << 20) + 17, false, false, Linux.O_WRONLY),
            new Round("r1", (8 << 20) + 5, false, true, Linux.O_RDWR),
            new Round("r2", 32 << 20, false, true, Linux.O_WRONLY),
            new Round("r3", (4 << 20) + 4095, true, false, Linux.O_WRONLY),
            new Round("r4", 16 << 20, true, true, Linux.O_WRONLY));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"passthrough=auto", "passthrough=off"})
    void simultaneousWritersMakeOneCopyUpAndLoseNothing(String option) throws Exception {
        Path base = fx.newDir("copyup-concurrent");
        Path lower = base.resolve("lower");
        Path upper = base.resolve("upper");
        Path work = base.resolve("work");
        Path patterns = base.resolve("patterns");
        for (Path d : List.of(lower, upper, work, patterns)) {
            Files.createDirectories(d);
        }
        for (int r = 0; r < ROUNDS.size(); r++) {
            Files.write(lower.resolve(ROUNDS.get(r).name()), original(r));
        }
        JoverMount jover = fx.track(JoverMount.mount(List.of(lower), Optional.of(upper), Optional.of(work),
                base.resolve("mnt"), false, List.of(option)));
        Path mnt = jover.mountPoint();
        long copyups = CopyUpTools.copyups(jover);
        boolean passthrough = jover.stats().line().contains("passthrough=1");
        System.out.println("ConcurrentCopyUpTest " + option + ": passthrough " + (passthrough ? "active" : "inactive"));

        List<String> problems = new ArrayList<>();
        for (int r = 0; r < ROUNDS.size(); r++) {
            Round round = ROUNDS.get(r);
            Path file = mnt.resolve(round.name());
            byte[] want = original(r);

            // Readers opened before the copy-up: one buffered (reads block 0 now, so its page is
            // cached), one O_DIRECT (every read goes to the daemon; FUSE allows any alignment,
            // passthrough would pass the alignment rules of the lower file on: only without it).
            int buffered = -1;
            int direct = -1;
            if (round.readers()) {
                buffered = FsCalls.open(Raw.of(file), Linux.O_RDONLY, 0);
                check(problems, round, "buffered reader before", FsCalls.pread(buffered, BLOCK, 0),
                        Arrays.copyOfRange(want, 0, BLOCK));
                if (!passthrough) {
                    direct = FsCalls.open(Raw.of(file), Linux.O_RDONLY | Linux.O_DIRECT, 0);
                    check(problems, round, "O_DIRECT reader before", FsCalls.pread(direct, BLOCK, 3 * BLOCK),
                            Arrays.copyOfRange(want, 3 * BLOCK, 4 * BLOCK));
                }
            }

            byte[][] blocks = new byte[WRITERS][];
            for (int i = 0; i < WRITERS; i++) {
                blocks[i] = CopyUpTools.pseudoRandom(7777 + 100L * r + i, BLOCK);
                System.arraycopy(blocks[i], 0, want, i * BLOCK, BLOCK);
            }
            List<String> failures = round.processes() ? ddWriters(file, blocks, patterns, r)
                    : threadWriters(file, blocks, round.access());
            for (String f : failures) {
                problems.add(round.name() + ": writer failed: " + f);
            }

            long now = CopyUpTools.copyups(jover);
            if (now - copyups != 1) {
                problems.add(round.name() + ": " + (now - copyups) + " copy-ups for " + WRITERS
                        + " simultaneous opens of one file, expected 1");
            }
            copyups = now;

            byte[] seen = CopyUpTools.readAt(file, 0, want.length + 1);
            compare(problems, round, "content through the mount", seen, want);
            byte[] inUpper = CopyUpTools.readAt(upper.resolve(round.name()), 0, want.length + 1);
            compare(problems, round, "content of the upper copy", inUpper, want);
            byte[] inLower = CopyUpTools.readAt(lower.resolve(round.name()), 0, want.length + 1);
            compare(problems, round, "lower file (must not change)", inLower, original(r));

            if (round.readers()) {
                // kernel overlayfs: read(2) on a descriptor opened before the copy-up sees the copy
                byte[] expect = passthrough ? original(r) : want;
                String rule = passthrough ? " (passthrough: the lower file, a documented difference)" : "";
                check(problems, round, "buffered reader after" + rule,
                        FsCalls.pread(buffered, WRITERS * BLOCK, 0), Arrays.copyOfRange(expect, 0, WRITERS * BLOCK));
                FsCalls.close(buffered);
                if (direct >= 0) {
                    check(problems, round, "O_DIRECT reader after", FsCalls.pread(direct, WRITERS * BLOCK, 0),
                            Arrays.copyOfRange(expect, 0, WRITERS * BLOCK));
                    FsCalls.close(direct);
                }
            }
        }
        assertTrue(problems.isEmpty(), () -> option + ":\n- " + String.join("\n- ", problems) + "\n" + jover.output());
    }

    /**
     * Eight writers open eight different files of one lower directory chain (x/y/z/fN) at once:
     * each ancestor directory is copied up once (3 + 8 copy-ups in all), every write lands, and
     * the upper has kernel overlayfs's format (the same {@link UpperSnapshot} as
     * the kernel's upper after the same writes).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"passthrough=auto", "passthrough=off"})
    void siblingsCopyTheirSharedAncestorsUpOnce(String option) throws Exception {
        List<String> problems = new ArrayList<>();
        UpperSnapshot[] uppers = new UpperSnapshot[2];
        String output = "";
        for (String impl : List.of("kernel", "jover")) {
            Path base = fx.newDir("copyup-siblings-" + impl);
            Path lower = base.resolve("lower");
            Path upper = Files.createDirectories(base.resolve("upper"));
            Path work = Files.createDirectories(base.resolve("work"));
            Path z = Files.createDirectories(lower.resolve("x/y/z"));
            for (int i = 0; i < WRITERS; i++) {
                Files.write(z.resolve("f" + i), CopyUpTools.pseudoRandom(500 + i, (2 << 20) + i));
            }
            Path mnt = base.resolve("mnt");
            JoverMount jover = null;
            KernelOverlay kernel = null;
            if (impl.equals("kernel")) {
                kernel = fx.kernel(List.of(lower), Optional.of(upper), Optional.of(work), mnt, false);
            } else {
                jover = fx.track(JoverMount.mount(List.of(lower), Optional.of(upper), Optional.of(work), mnt, false,
                        List.of(option)));
                mnt = jover.mountPoint();
            }
            long before = jover == null ? 0 : CopyUpTools.copyups(jover);
            List<String> failures = new ArrayList<>();
            CyclicBarrier start = new CyclicBarrier(WRITERS);
            List<Thread> threads = new ArrayList<>();
            List<String> errors = Collections.synchronizedList(failures);
            for (int i = 0; i < WRITERS; i++) {
                Path f = mnt.resolve("x/y/z/f" + i);
                byte[] block = CopyUpTools.pseudoRandom(900 + i, BLOCK);
                Thread t = new Thread(() -> {
                    try {
                        start.await(30, TimeUnit.SECONDS);
                        int fd = FsCalls.open(Raw.of(f), Linux.O_WRONLY, 0);
                        try {
                            FsCalls.pwrite(fd, block, BLOCK);
                        } finally {
                            FsCalls.close(fd);
                        }
                    } catch (Exception e) {
                        errors.add(f.getFileName() + ": " + e);
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join(60_000);
            }
            failures.forEach(f -> problems.add(impl + ": writer failed: " + f));
            for (int i = 0; i < WRITERS; i++) {
                byte[] want = CopyUpTools.pseudoRandom(500 + i, (2 << 20) + i);
                System.arraycopy(CopyUpTools.pseudoRandom(900 + i, BLOCK), 0, want, BLOCK, BLOCK);
                byte[] got = CopyUpTools.readAt(upper.resolve("x/y/z/f" + i), 0, want.length + 1);
                if (!Arrays.equals(got, want)) {
                    problems.add(impl + ": upper x/y/z/f" + i + ": " + describe(got, want));
                }
            }
            if (jover != null) {
                long n = CopyUpTools.copyups(jover) - before;
                if (n != 3 + WRITERS) {
                    problems.add("jover: " + n + " copy-ups, expected " + (3 + WRITERS) + " (x, y, z and 8 files)");
                }
                output = jover.output();
                jover.close();
            } else {
                kernel.close();
            }
            uppers[impl.equals("kernel") ? 0 : 1] = UpperSnapshot.of(upper);
        }
        String diff = uppers[0].diff(uppers[1], "kernel upper", "jover upper");
        if (!diff.isEmpty()) {
            problems.add("upper format differs from the kernel's:\n" + diff);
        }
        String out = output;
        assertTrue(problems.isEmpty(), () -> option + ":\n- " + String.join("\n- ", problems) + "\n" + out);
    }

    private static byte[] original(int round) {
        return CopyUpTools.pseudoRandom(4242 + round, ROUNDS.get(round).size());
    }

    /** Eight threads released together; each opens, writes its block, closes. Failures as text. */
    private static List<String> threadWriters(Path file, byte[][] blocks, int access) throws InterruptedException {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier start = new CyclicBarrier(blocks.length);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < blocks.length; i++) {
            int idx = i;
            Thread t = new Thread(() -> {
                try {
                    start.await(30, TimeUnit.SECONDS);
                    int fd = FsCalls.open(Raw.of(file), access, 0);
                    try {
                        long n = FsCalls.pwrite(fd, blocks[idx], (long) idx * BLOCK);
                        if (n != BLOCK) {
                            failures.add("writer " + idx + ": short write " + n);
                        }
                    } finally {
                        FsCalls.close(fd);
                    }
                } catch (ErrnoException e) {
                    failures.add("writer " + idx + ": " + e.getMessage());
                } catch (Exception e) {
                    failures.add("writer " + idx + ": " + e);
                }
            }, "copyup-writer-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            if (t.isAlive()) {
                failures.add(t.getName() + " still running after 60 s");
            }
        }
        return failures;
    }

    /** Eight dd processes started together, each writing one block in place (conv=notrunc). */
    private static List<String> ddWriters(Path file, byte[][] blocks, Path patterns, int round)
            throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < blocks.length; i++) {
            Path p = patterns.resolve("round" + round + "-block" + i);
            Files.write(p, blocks[i]);
            sources.add(p);
        }
        List<Process> procs = new ArrayList<>();
        for (int i = 0; i < blocks.length; i++) {
            procs.add(new ProcessBuilder("dd", "if=" + sources.get(i), "of=" + file, "bs=" + BLOCK, "seek=" + i,
                    "count=1", "conv=notrunc", "status=none").redirectErrorStream(true).start());
        }
        for (int i = 0; i < procs.size(); i++) {
            Process p = procs.get(i);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                failures.add("dd " + i + " did not finish within 60 s");
                continue;
            }
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                failures.add("dd " + i + " exited " + p.exitValue() + ": " + out.trim());
            }
        }
        return failures;
    }

    private static void check(List<String> problems, Round round, String what, byte[] got, byte[] want) {
        if (!Arrays.equals(got, want)) {
            problems.add(round.name() + ": " + what + ": " + describe(got, want));
        }
    }

    private static void compare(List<String> problems, Round round, String what, byte[] got, byte[] want) {
        if (Arrays.equals(got, want)) {
            return;
        }
        problems.add(round.name() + ": " + what + ": " + describe(got, want));
    }

    /** Where two byte arrays differ, by 4 KiB block: which written blocks are lost, what else changed. */
    private static String describe(byte[] got, byte[] want) {
        StringBuilder b = new StringBuilder();
        if (got.length != want.length) {
            b.append("length ").append(got.length).append(", expected ").append(want.length).append("; ");
        }
        List<Integer> bad = new ArrayList<>();
        int n = Math.min(got.length, want.length);
        for (int off = 0; off < n; off += BLOCK) {
            int end = Math.min(n, off + BLOCK);
            if (!Arrays.equals(got, off, end, want, off, end)) {
                bad.add(off / BLOCK);
            }
        }
        if (!bad.isEmpty()) {
            b.append(bad.size()).append(" block(s) of 4 KiB differ: ")
                    .append(bad.subList(0, Math.min(20, bad.size())));
        }
        return b.toString();
    }
}
