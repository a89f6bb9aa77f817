package jover.fuse.server;

import jover.fuse.abi.Fuse;
import jover.fuse.abi.Opcode;
import jover.fuse.codec.BadRequest;
import jover.fuse.codec.Decoder;
import jover.fuse.codec.InHeader;
import jover.fuse.codec.Request;
import jover.fuse.transport.Exchange;
import jover.fuse.transport.Transport;
import jover.sys.Errno;
import jover.sys.ErrnoException;

/**
 * One serving thread's loop: receive a request from its own transport, decode it, dispatch it
 * through the handler table, which encodes the reply body, and send the reply on the exchange
 * the request came in. A failure of one request answers that request (EIO for a fault); only
 * the end of the connection stops the loop.
 */
final class Worker implements Runnable {
    private final Connection connection;
    private final Transport transport;
    private final Handlers handlers;
    private final Call call;

    Worker(Connection connection, Transport transport, Handlers handlers) {
        this.connection = connection;
        this.transport = transport;
        this.handlers = handlers;
        this.call = new Call(connection.replies());
    }

    @Override
    public void run() {
        while (true) {
            Exchange x;
            try {
                x = transport.receive();
            } catch (ErrnoException e) {
                connection.workerExited(e.errno() == Errno.ENODEV ? null : e); // ENODEV: unmounted, the normal end
                return;
            }
            if (x.request().received() < Fuse.IN_HEADER_SIZE) {
                connection.log("short request of " + x.request().received() + " bytes ignored");
                continue;
            }
            try {
                serve(x);
            } catch (Throwable t) {
                // a fault outside a request's own handling (a broken install, say): log it, keep serving
                connection.log("internal error: " + t);
            }
        }
    }

    private void serve(Exchange x) {
        InHeader h = x.request().header();
        connection.count(h.opcode());
        if (connection.debug()) {
            connection.log("unique: " + h.unique() + ", opcode: " + Opcode.name(h.opcode()) + " (" + h.opcode()
                    + "), nodeid: " + h.nodeid() + ", insize: " + x.request().received() + ", pid: " + h.pid());
        }
        call.reset(h, x.replyBody());
        if (Handlers.silent(h.opcode())) {
            serveSilently(h, x);
            return;
        }
        InFlight.Token token = connection.interrupts().begin(h.unique());
        try {
            Request r = Decoder.decode(h, x.request());
            reply(x, h, 0, handlers.serve(h.opcode(), call, r));
        } catch (BadRequest e) {
            reply(x, h, e.kind() == BadRequest.Kind.UNKNOWN_OPCODE ? Errno.ENOSYS : Errno.EINVAL, 0);
        } catch (ErrnoException e) {
            reply(x, h, e.errno(), 0);
        } catch (RuntimeException | Error e) {
            connection.log("internal error in " + Opcode.name(h.opcode()) + ": " + e);
            if (connection.debug()) {
                e.printStackTrace();
            }
            reply(x, h, Errno.EIO, 0);
        } finally {
            connection.interrupts().end(token);
        }
    }

    /** The requests that get no reply; a failure is logged and serving goes on. */
    private void serveSilently(InHeader h, Exchange x) {
        try {
            handlers.serve(h.opcode(), call, Decoder.decode(h, x.request()));
        } catch (BadRequest | ErrnoException | RuntimeException e) {
            connection.log("ignored " + Opcode.name(h.opcode()) + ": " + e.getMessage());
        }
    }

    private void reply(Exchange x, InHeader h, int errno, int bodyLen) {
        if (connection.debug()) {
            connection.log("   unique: " + h.unique() + ", " + (errno == 0 ? "success" : "error: " + Errno.name(errno))
                    + ", outsize: " + (Fuse.OUT_HEADER_SIZE + (errno == 0 ? bodyLen : 0)));
        }
        try {
            x.reply(h.unique(), -errno, bodyLen);
        } catch (ErrnoException e) {
            // ENOENT: the caller's request was aborted meanwhile; anything else is worth a line.
            if (e.errno() != Errno.ENOENT) {
                connection.log("reply to " + Opcode.name(h.opcode()) + " failed: " + e.getMessage());
            }
        }
    }
}
