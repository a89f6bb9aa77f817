package jover.fuse.server;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;
import jover.fuse.abi.Fuse;
import jover.fuse.abi.Opcode;
import jover.fuse.codec.InitIn;
import jover.fuse.codec.InitOut;
import jover.fuse.codec.Notifications;
import jover.fuse.transport.KernelControl;
import jover.fuse.transport.Transport;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;

/**
 * Serves one FUSE connection with several worker threads, each on its own transport. Threads
 * are daemon threads: a process that must exit (signal, fatal error) is never held up by a
 * worker blocked in read(2), which nothing but ENODEV or an abort can wake.
 */
public final class FuseServer implements Kernel {
    private final FuseFilesystem fs;
    private final boolean debug;
    private final PrintStream log;
    private final InFlight interrupts = new InFlight();
    private final Replies replies;
    private final Handlers handlers;
    private final CountDownLatch initDone = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch allExited;
    private final int workers;
    private final AtomicLongArray served = new AtomicLongArray(Opcode.LIMIT);
    private volatile InitOut negotiated;
    private volatile ErrnoException failure;
    private volatile KernelControl control;
    private volatile boolean passthrough;
    /** Guarded by itself: notifications are written whole, one at a time. */
    private final ByteBuffer notifyBuffer = ByteBuffer.allocateDirect(Fuse.OUT_HEADER_SIZE + 16 + 256)
            .order(ByteOrder.LITTLE_ENDIAN);

    public FuseServer(FuseFilesystem fs, int workers, boolean debug, PrintStream log) {
        this.fs = fs;
        this.workers = workers;
        this.debug = debug;
        this.log = log;
        this.allExited = new CountDownLatch(workers);
        this.replies = new Replies(fs.cacheTimeout());
        this.handlers = new Handlers(this);
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

    /** Starts one worker on {@code transport}; call {@link #workers()} times in all. */
    public synchronized void startWorker(Transport transport) {
        if (threads.size() >= workers) {
            throw new IllegalStateException("all " + workers + " workers already started");
        }
        Thread t = new Thread(new Worker(this, transport, handlers), "fuse-worker-" + threads.size());
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    public int workers() {
        return workers;
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

    /** Waits until INIT has been answered; returns what was negotiated, or null if serving stopped first. */
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

    void count(int opcode) {
        if (opcode >= 0 && opcode < served.length()) {
            served.incrementAndGet(opcode);
        }
    }

    /** How many requests of {@code opcode} were served since mount. */
    public long served(int opcode) {
        return served.get(opcode);
    }

    /** Requests being served right now. */
    public int inFlight() {
        return interrupts.size();
    }

    // ---- the kernel side, once mounted ----

    /**
     * Called once INIT is done: keeps the connection's control for ioctls and notifications,
     * and probes passthrough: BACKING_OPEN of a directory fails with EISDIR when passthrough is
     * on and EPERM when the kernel silently turned it off.
     */
    public void connected(KernelControl kernelControl, Fd probeDir) {
        this.control = kernelControl;
        InitOut init = negotiated;
        if (init != null && (init.flags2() & Fuse.FLAGS2_PASSTHROUGH) != 0) {
            try {
                backingClose(backingOpen(probeDir)); // cannot succeed on a directory
                passthrough = true;
            } catch (ErrnoException e) {
                passthrough = e.errno() == Errno.EISDIR;
            }
        }
        fs.attach(this);
    }

    @Override
    public boolean passthrough() {
        return passthrough;
    }

    @Override
    public boolean directIoAllowsMmap() {
        InitOut init = negotiated;
        return init != null && (init.flags2() & Fuse.FLAGS2_DIRECT_IO_ALLOW_MMAP) != 0;
    }

    @Override
    public int backingOpen(Fd file) throws ErrnoException {
        return control.backingOpen(file);
    }

    @Override
    public void backingClose(int id) {
        try {
            control.backingClose(id);
        } catch (ErrnoException e) {
            log("backing close " + id + ": " + e.getMessage());
        }
    }

    @Override
    public void invalidateEntry(long parent, String name) {
        synchronized (notifyBuffer) {
            int len = Notifications.invalEntry(notifyBuffer, parent, name);
            if (len > 0) {
                notify(len, "invalidate entry " + name);
            }
        }
    }

    @Override
    public void invalidateAttributes(long nodeid) {
        synchronized (notifyBuffer) {
            notify(Notifications.invalInode(notifyBuffer, nodeid, -1, 0), "invalidate inode " + nodeid);
        }
    }

    @Override
    public void invalidateData(long nodeid) {
        synchronized (notifyBuffer) {
            notify(Notifications.invalInode(notifyBuffer, nodeid, 0, 0), "invalidate inode " + nodeid);
        }
    }

    /** Writes the notification in {@code notifyBuffer}; the caller holds its lock. */
    private void notify(int len, String what) {
        try {
            control.notify(notifyBuffer, len);
        } catch (ErrnoException e) {
            // ENOENT: the kernel had nothing of it cached, which is what we wanted
            if (e.errno() != Errno.ENOENT) {
                log(what + ": " + e.getMessage());
            }
        }
    }
}
