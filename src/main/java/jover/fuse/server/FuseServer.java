package jover.fuse.server;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jover.fuse.abi.Fuse;
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
    private final Connection connection;
    private final Handlers handlers;
    private final List<Thread> threads = new ArrayList<>();
    private final int workers;
    private volatile KernelControl control;
    private volatile boolean passthrough;
    /** Guarded by itself: notifications are written whole, one at a time; no other lock is taken under it. */
    private final ByteBuffer notifyBuffer = ByteBuffer.allocateDirect(Fuse.OUT_HEADER_SIZE + 16 + 256)
            .order(ByteOrder.LITTLE_ENDIAN);

    public FuseServer(FuseFilesystem fs, int workers, boolean debug, PrintStream log) {
        this.workers = workers;
        this.connection = new Connection(fs, workers, debug, log);
        this.handlers = new Handlers(connection);
    }

    /** Starts one worker on {@code transport}; call {@link #workers()} times in all. */
    public synchronized void startWorker(Transport transport) {
        if (threads.size() >= workers) {
            throw new IllegalStateException("all " + workers + " workers already started");
        }
        Thread t = new Thread(new Worker(connection, transport, handlers), "fuse-worker-" + threads.size());
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    public int workers() {
        return workers;
    }

    /** Waits until INIT has been answered; returns what was negotiated, or null if serving stopped first. */
    public InitOut awaitInit() throws InterruptedException {
        return connection.awaitInit();
    }

    /** Whether INIT has been answered. */
    public boolean isInitialized() {
        return connection.negotiated() != null;
    }

    /** Blocks until every worker has stopped (the mount went away); returns the first error, or null. */
    public ErrnoException awaitExit() throws InterruptedException {
        return connection.awaitExit();
    }

    /** How many requests of {@code opcode} were served since mount. */
    public long served(int opcode) {
        return connection.served(opcode);
    }

    /** Requests being served right now. */
    public int inFlight() {
        return connection.interrupts().size();
    }

    // ---- the kernel side, once mounted ----

    /**
     * Called once INIT is done: keeps the connection's control for ioctls and notifications,
     * and probes passthrough: BACKING_OPEN of a directory fails with EISDIR when passthrough is
     * on and EPERM when the kernel silently turned it off.
     */
    public void connected(KernelControl kernelControl, Fd probeDir) {
        this.control = kernelControl;
        InitOut init = connection.negotiated();
        if (init != null && (init.flags2() & Fuse.FLAGS2_PASSTHROUGH) != 0) {
            try {
                backingClose(backingOpen(probeDir)); // cannot succeed on a directory
                passthrough = true;
            } catch (ErrnoException e) {
                passthrough = e.errno() == Errno.EISDIR;
            }
        }
        connection.filesystem().attach(this);
    }

    @Override
    public boolean passthrough() {
        return passthrough;
    }

    @Override
    public boolean directIoAllowsMmap() {
        InitOut init = connection.negotiated();
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
            connection.log("backing close " + id + ": " + e.getMessage());
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
                connection.log(what + ": " + e.getMessage());
            }
        }
    }
}
