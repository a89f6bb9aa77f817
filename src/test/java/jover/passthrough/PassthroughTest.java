package jover.passthrough;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jover.testing.Environment;
import jover.testing.JoverMount;
import jover.testing.MountFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PassthroughTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();
    private Path lower;
    private Path upper;
    private Path mnt;
    private byte[] data;

    @BeforeEach
    void layers() throws IOException {
        Environment.requireFuseMounting();
        Path dir = fx.newDir("pt");
        lower = Files.createDirectories(dir.resolve("lower/d"));
        upper = Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(dir.resolve("work"));
        mnt = dir.resolve("mnt");
        data = new byte[4 << 20];
        new Random(7).nextBytes(data);
        Files.write(lower.resolve("f"), data);
    }

    private JoverMount mount(String passthrough) throws IOException {
        Path root = lower.getParent();
        return fx.track(JoverMount.mount(List.of(root), Optional.of(upper), Optional.of(root.resolveSibling("work")),
                mnt, false, List.of("passthrough=" + passthrough)));
    }

    private static long counter(JoverMount m, String name) throws Exception {
        Matcher x = Pattern.compile(name + "=(\\d+)").matcher(m.stats().line());
        assertTrue(x.find(), "no " + name + " in stats");
        return Long.parseLong(x.group(1));
    }

    @Test
    void readsAndWritesNeverReachTheDaemon() throws Exception {
        JoverMount m = mount("on");
        assertEquals(1, counter(m, "passthrough"));
        assertArrayEquals(data, Files.readAllBytes(mnt.resolve("d/f")));
        Files.write(mnt.resolve("d/new"), data);
        try (FileChannel ch = FileChannel.open(mnt.resolve("d/f"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 100);
        }
        assertEquals(0, counter(m, "reads"), "READ reached userspace");
        assertEquals(0, counter(m, "writes"), "WRITE reached userspace");
        byte[] expect = data.clone();
        expect[100] = 1;
        expect[101] = 2;
        expect[102] = 3;
        assertArrayEquals(expect, Files.readAllBytes(upper.resolve("d/f")), "write landed in the upper copy");
        assertArrayEquals(data, Files.readAllBytes(lower.resolve("f")), "lower untouched");
        assertEquals(data.length, Files.size(mnt.resolve("d/new")));
    }

    @Test
    void withPassthroughOffDataGoesThroughTheDaemon() throws Exception {
        JoverMount m = mount("off");
        assertEquals(0, counter(m, "passthrough"));
        assertArrayEquals(data, Files.readAllBytes(mnt.resolve("d/f")));
        assertTrue(counter(m, "reads") > 0);
    }

    /**
     * With passthrough, and without it (userspace I/O, where a writable handle is FOPEN_DIRECT_IO
     * and a read-only one is cached): mmap, writes, truncate and sizes, and a read-only handle
     * opened before sees what the writable one wrote.
     */
    @ParameterizedTest
    @ValueSource(strings = {"on", "off"})
    void mmapWriteTruncateAndSizeAfterWrites(String passthrough) throws Exception {
        mount(passthrough);
        Path f = mnt.resolve("d/f");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel reader = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer first = ByteBuffer.allocate(16);
            reader.read(first, 0); // its pages are cached now
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            map.put(0, (byte) 42);
            map.force();
            ch.write(ByteBuffer.wrap(new byte[] {7, 8, 9}), 5);
            ByteBuffer again = ByteBuffer.allocate(16);
            reader.read(again, 0);
            assertEquals(42, again.get(0), "the reader sees the mmap write");
            assertEquals(8, again.get(6), "the reader sees the write(2)");
            assertEquals(9, map.get(7), "the mapping sees the write(2)");
            ch.write(ByteBuffer.wrap(new byte[10]), data.length); // grows the file
            assertEquals(data.length + 10, Files.size(f), "size right after a write");
            ch.truncate(1000);
            assertEquals(1000, Files.size(f));
        }
        byte[] up = Files.readAllBytes(upper.resolve("d/f"));
        assertEquals(1000, up.length);
        assertEquals(42, up[0], "mmap write landed in the upper file");
        assertArrayEquals(data, Files.readAllBytes(lower.resolve("f")), "lower untouched");
    }

    /**
     * The copy-up hazard: readers hold the lower file open (passthrough-backed by it) while many
     * writers open the same name for write. Every open succeeds, every write lands in the upper
     * copy, none in the lower file, and exactly one copy-up happens.
     */
    @Test
    void copyUpUnderLivePassthroughReadersLosesNoWrite() throws Exception {
        JoverMount m = mount("on");
        Path f = mnt.resolve("d/f");
        List<FileChannel> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            FileChannel r = FileChannel.open(f, StandardOpenOption.READ);
            r.read(ByteBuffer.allocate(16), 0);
            readers.add(r);
        }
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int w = i;
            done.add(pool.submit(() -> {
                start.await();
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    byte[] mark = new byte[512];
                    java.util.Arrays.fill(mark, (byte) (w + 1));
                    ch.write(ByteBuffer.wrap(mark), 4096L * w);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> d : done) {
            d.get(60, TimeUnit.SECONDS); // an open or write that failed throws here
        }
        pool.shutdown();
        byte[] up = Files.readAllBytes(upper.resolve("d/f"));
        for (int w = 0; w < writers; w++) {
            assertEquals((byte) (w + 1), up[4096 * w], "write " + w + " lost");
            assertEquals((byte) (w + 1), up[4096 * w + 511], "write " + w + " torn");
        }
        assertArrayEquals(data, Files.readAllBytes(lower.resolve("f")), "a write reached the lower file");
        assertArrayEquals(up, Files.readAllBytes(f), "new opens see the upper copy");
        ByteBuffer old = ByteBuffer.allocate(512);
        readers.get(0).read(old, 0);
        assertArrayEquals(java.util.Arrays.copyOf(data, 512), old.array(),
                "a descriptor opened before the copy-up keeps reading the lower file (documented)");
        for (FileChannel r : readers) {
            r.close();
        }
        assertEquals(2, counter(m, "copyups"), "one copy-up of d/f (and one of its directory d)");
        assertEquals(0, counter(m, "writes"));
    }
}
