package jover.fuse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import jover.fuse.transport.StreamTransport;
import jover.sys.ErrnoException;

/** A {@link FuseServer} with one worker on a {@link MemoryChannel}, and checks every reply must pass. */
final class ServerHarness {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final MemoryChannel channel = new MemoryChannel();
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final FuseServer server;
    private boolean started;

    ServerHarness(FuseFilesystem fs) {
        this(fs, 1);
    }

    ServerHarness(FuseFilesystem fs, int workers) {
        server = new FuseServer(fs, workers, false, new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    }

    ServerHarness start() {
        if (!started) {
            server.startWorker(new StreamTransport(channel, InitPolicy.MAX_WRITE));
            started = true;
        }
        return this;
    }

    /** Sends one request and returns its reply (which must come). */
    Wire.Reply call(byte[] request) throws InterruptedException {
        start();
        channel.send(request);
        Wire.Reply r = channel.nextReply();
        if (r == null) {
            fail("no reply within 5 s");
        }
        checkWellFormed(r);
        return r;
    }

    /**
     * Serves all {@code requests}, then unmounts (ENODEV) and waits for the worker to stop;
     * returns the replies written, each checked to be well formed.
     */
    List<Wire.Reply> serve(byte[]... requests) {
        for (byte[] r : requests) {
            channel.send(r);
        }
        channel.unmount();
        start();
        ErrnoException failure = assertTimeoutPreemptively(TIMEOUT, server::awaitExit,
                "worker did not stop after ENODEV");
        assertNull(failure, "ENODEV is the normal end, not a failure");
        List<Wire.Reply> replies = channel.replies();
        replies.forEach(ServerHarness::checkWellFormed);
        return replies;
    }

    /** Ends the run started with {@link #call}: ENODEV, and the worker must stop. */
    void unmount() {
        channel.unmount();
        start();
        assertNull(assertTimeoutPreemptively(TIMEOUT, server::awaitExit));
        channel.replies().forEach(ServerHarness::checkWellFormed);
    }

    String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    /** The out header's len equals the bytes written; errors carry no body; error is 0 or a negative errno. */
    static void checkWellFormed(Wire.Reply r) {
        assertEquals(r.written(), r.len(), () -> "len field vs bytes written in " + r);
        assertTrue(r.len() >= 16, () -> "reply shorter than its header: " + r);
        assertTrue(r.error() <= 0 && r.error() > -4096, () -> "error must be 0 or -errno: " + r);
        if (r.error() != 0) {
            assertEquals(16, r.len(), () -> "an error reply has no body: " + r);
        }
    }

    /** The only reply with this unique. */
    static Wire.Reply replyTo(List<Wire.Reply> replies, long unique) {
        List<Wire.Reply> m = replies.stream().filter(r -> r.unique() == unique).toList();
        assertEquals(1, m.size(), () -> "replies to unique " + unique + " in " + replies);
        return m.get(0);
    }
}
