package jover.fuse.server;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;
import jover.fuse.abi.Fuse;
import jover.fuse.abi.Opcode;
import jover.fuse.codec.InitIn;
import jover.fuse.codec.InitOut;
import jover.sys.Errno;
import jover.sys.ErrnoException;

/**
 * What the workers of one FUSE connection share: the filesystem and the reply mapping, what
 * INIT negotiated, the requests in flight (for INTERRUPT), counters by opcode, the log, and
 * the workers' exits. Thread-safe: fields are final, volatile or atomic, and the latches count
 * down once.
 */
final class Connection {
    private final FuseFilesystem fs;
    private final boolean debug;
    private final PrintStream log;
    private final Replies replies;
    private final InFlight interrupts = new InFlight();
    private final AtomicLongArray served = new AtomicLongArray(Opcode.LIMIT);
    private final CountDownLatch initDone = new CountDownLatch(1);
    private final CountDownLatch allExited;
    private volatile InitOut negotiated;
    private volatile ErrnoException failure;

    Connection(FuseFilesystem fs, int workers, boolean debug, PrintStream log) {
        this.fs = fs;
        this.debug = debug;
        this.log = log;
        this.replies = new Replies(fs.cacheTimeout());
        this.allExited = new CountDownLatch(workers);
    }

    FuseFilesystem filesystem() {
        return fs;
    }

    Replies replies() {
        return replies;
    }

    boolean debug() {
        return debug;
    }

    InFlight interrupts() {
        return interrupts;
    }

    void log(String line) {
        log.println("jover: " + line);
    }

    /** INIT: negotiates, and (at our major version) records the result; returns the reply body's length. */
    int init(Call call, InitIn kernel) throws ErrnoException {
        InitOut reply = InitPolicy.reply(kernel, 0, fs.wantsPassthrough());
        if (reply == null) {
            throw new ErrnoException(Errno.EINVAL, "INIT", "kernel protocol too old");
        }
        int length = call.init(reply);
        if (kernel.major() == Fuse.KERNEL_VERSION) {
            negotiated = reply; // a newer major is only told ours; its INIT comes again
            initDone.countDown();
        }
        return length;
    }

    /** What INIT negotiated, or null before. */
    InitOut negotiated() {
        return negotiated;
    }

    InitOut awaitInit() throws InterruptedException {
        initDone.await();
        return negotiated;
    }

    void workerExited(ErrnoException error) {
        if (error != null) {
            failure = error;
            log("worker stopped: " + error.getMessage());
        }
        allExited.countDown();
        if (negotiated == null) {
            initDone.countDown(); // stopped before INIT: awaitInit returns null instead of hanging
        }
    }

    ErrnoException awaitExit() throws InterruptedException {
        allExited.await();
        return failure;
    }

    void count(int opcode) {
        if (opcode >= 0 && opcode < served.length()) {
            served.incrementAndGet(opcode);
        }
    }

    long served(int opcode) {
        return served.get(opcode);
    }
}
