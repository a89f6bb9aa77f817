package jover.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class HandleTableTest {

    @Test
    void add_get_remove() {
        HandleTable<String> t = new HandleTable<>();
        long a = t.add("a");
        long b = t.add("b");
        assertTrue(a > 0 && b > 0, "0 is never a handle");
        assertTrue(b != a);
        assertEquals("a", t.get(a));
        assertEquals("b", t.get(b));
        assertEquals(2, t.size());
        assertEquals("a", t.remove(a));
        assertNull(t.get(a));
        assertNull(t.remove(a), "closing twice finds nothing the second time");
        assertEquals("b", t.get(b));
        assertEquals(1, t.size());
    }

    @Test
    void unknownHandles_areNull() {
        HandleTable<String> t = new HandleTable<>();
        assertNull(t.get(0));
        assertNull(t.get(1));
        assertNull(t.get(-1));
        assertNull(t.remove(42));
        assertEquals(0, t.size());
    }

    @Test
    void handlesAreNeverReused() {
        HandleTable<Integer> t = new HandleTable<>();
        Set<Long> seen = new HashSet<>();
        long last = 0;
        for (int i = 0; i < 1000; i++) {
            long fh = t.add(i);
            assertTrue(seen.add(fh), "handle " + fh + " reused");
            assertTrue(fh > last, "handles increase");
            last = fh;
            if (i % 2 == 0) {
                t.remove(fh);
            }
        }
        assertEquals(500, t.size());
    }

    @Test
    void concurrentAdds_getDistinctHandles() throws InterruptedException {
        HandleTable<Integer> t = new HandleTable<>();
        ConcurrentLinkedQueue<Long> all = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    long fh = t.add(i);
                    all.add(fh);
                    if (i % 3 == 0) {
                        t.remove(fh);
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(16000, new HashSet<>(all).size());
        assertEquals(8 * (2000 - 667), t.size());
    }
}
