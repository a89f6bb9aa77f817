package jover.fuse.server;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import jover.fuse.codec.InitOut;
import jover.sys.ErrnoException;

/**
 * Serves one FUSE connection with several worker threads, each on its own channel. Threads are
 * daemon threads: a process that must exit (signal, fatal error) is never held up by a worker
 * blocked in read(2), which nothing but ENODEV or an abort can wake.
 */
public final class FuseServer {
    private final FuseFilesystem fs;
    private final boolean debug;
    private final PrintStream log;
    private final InFlight interrupts = new InFlight();
    private final CountDownLatch initDone = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch allExited;
    private volatile InitOut negotiated;
    private volatile ErrnoException failure;
    private final int workers;

    public FuseServer(FuseFilesystem fs, int workers, boolean debug, PrintStream log) {
        this.fs = fs;
        this.workers = workers;
        this.debug = debug;
        this.log = log;
        this.allExited = new CountDownLatch(workers);
    }

    FuseFilesystem filesystem() {
        return fs;
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

    /** Starts one worker on {@code channel}; call {@link #workers()} times in all. */
    public synchronized void startWorker(FuseChannel channel) {
        if (threads.size() >= workers) {
            throw new IllegalStateException("all " + workers + " workers already started");
        }
        Thread t = new Thread(new Worker(this, channel), "fuse-worker-" + threads.size());
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    public int workers() {
        return workers;
    }

    void initialized(InitOut reply) {
        negotiated = reply;
        initDone.countDown();
    }

    /** Waits until INIT has been answered; returns what was negotiated. */
    public InitOut awaitInit() throws InterruptedException {
        initDone.await();
        return negotiated;
    }

    /** Whether INIT has been answered. */
    public boolean isInitialized() {
        return negotiated != null;
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

    /** Blocks until every worker has stopped (the mount went away); returns the first error, or null. */
    public ErrnoException awaitExit() throws InterruptedException {
        allExited.await();
        return failure;
    }

    /** Requests being served right now. */
    public int inFlight() {
        return interrupts.size();
    }
}
