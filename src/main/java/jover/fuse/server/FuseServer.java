package jover.fuse.server;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jover.fuse.abi.Fuse;
import jover.fuse.codec.Encoder;
import jover.fuse.codec.InitOut;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Sys;

/**
 * Serves one FUSE connection with several worker threads, each on its own channel. Threads are
 * daemon threads: a process that must exit (signal, fatal error) is never held up by a worker
 * blocked in read(2), which nothing but ENODEV or an abort can wake.
 */
public final class FuseServer implements Kernel {
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
    private final java.util.concurrent.atomic.AtomicLongArray served =
            new java.util.concurrent.atomic.AtomicLongArray(jover.fuse.abi.Opcode.LIMIT);

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

    // ---- the kernel side, once mounted ----

    private volatile Fd device;
    private volatile boolean passthrough;
    private final ByteBuffer notifyBuffer = ByteBuffer.allocateDirect(Fuse.OUT_HEADER_SIZE + 16 + 256)
            .order(ByteOrder.LITTLE_ENDIAN);

    /**
     * Called by {@link FuseMount} once INIT is done: keeps the device for ioctls and
     * notifications, and probes passthrough: BACKING_OPEN of a directory fails with EISDIR
     * when passthrough is on and EPERM when the kernel silently turned it off.
     */
    void connected(Fd dev, Fd probeDir) {
        this.device = dev;
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
        byte[] map = new byte[16];
        ByteBuffer.wrap(map).order(ByteOrder.LITTLE_ENDIAN).putInt(0, file.get());
        return Sys.ioctl(device, Fuse.DEV_IOC_BACKING_OPEN, map);
    }

    @Override
    public void backingClose(int id) {
        try {
            Sys.ioctl(device, Fuse.DEV_IOC_BACKING_CLOSE, id);
        } catch (ErrnoException e) {
            log("backing close " + id + ": " + e.getMessage());
        }
    }

    @Override
    public void invalidateEntry(long parent, String name) {
        synchronized (notifyBuffer) {
            ByteBuffer b = notifyBuffer;
            int n = name.length();
            int len = Fuse.OUT_HEADER_SIZE + 16 + n + 1;
            if (len > b.capacity()) {
                return;
            }
            Encoder.outHeader(b, 0, len, Fuse.NOTIFY_INVAL_ENTRY, 0);
            b.putLong(Fuse.OUT_HEADER_SIZE, parent);
            b.putInt(Fuse.OUT_HEADER_SIZE + 8, n);
            b.putInt(Fuse.OUT_HEADER_SIZE + 12, 0);
            for (int i = 0; i < n; i++) {
                b.put(Fuse.OUT_HEADER_SIZE + 16 + i, (byte) name.charAt(i));
            }
            b.put(Fuse.OUT_HEADER_SIZE + 16 + n, (byte) 0);
            try {
                Sys.write(device, b, len);
            } catch (ErrnoException e) {
                // ENOENT: the kernel had no such entry cached, which is what we wanted
                if (e.errno() != Errno.ENOENT) {
                    log("invalidate entry " + name + ": " + e.getMessage());
                }
            }
        }
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

    @Override
    public void invalidateAttributes(long nodeid) {
        invalidateInode(nodeid, -1); // a negative offset: attributes only
    }

    @Override
    public void invalidateData(long nodeid) {
        invalidateInode(nodeid, 0);
    }

    private void invalidateInode(long nodeid, long offset) {
        synchronized (notifyBuffer) {
            ByteBuffer b = notifyBuffer;
            int len = Fuse.OUT_HEADER_SIZE + 24;
            Encoder.outHeader(b, 0, len, Fuse.NOTIFY_INVAL_INODE, 0);
            b.putLong(Fuse.OUT_HEADER_SIZE, nodeid);
            b.putLong(Fuse.OUT_HEADER_SIZE + 8, offset);
            b.putLong(Fuse.OUT_HEADER_SIZE + 16, 0);
            try {
                Sys.write(device, b, len);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENOENT) {
                    log("invalidate inode " + nodeid + ": " + e.getMessage());
                }
            }
        }
    }

    /** Requests being served right now. */
    public int inFlight() {
        return interrupts.size();
    }
}
