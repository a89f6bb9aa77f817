package jover.fuse.transport;

import jover.sys.ErrnoException;

/**
 * Where one worker thread receives requests. Over /dev/fuse each worker reads its own
 * descriptor into one buffer pair ({@link StreamTransport}); over io_uring a worker owns a queue
 * of ring entries, each holding a request in registered buffers until its reply is committed.
 * The server sees only {@link Exchange}s, so it assumes neither.
 */
public interface Transport {
    /**
     * Waits for the next request and returns the exchange holding it, valid until its reply
     * (or, for a request that gets none, until the next call). Retries by itself where the
     * device asks it to (EINTR, EAGAIN, a request aborted before it was read).
     *
     * @throws ErrnoException ENODEV once the connection has ended (unmount or abort), or any
     *                        other failure of the device, after which the worker stops
     */
    Exchange receive() throws ErrnoException;
}
