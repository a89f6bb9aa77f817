package jover.fuse.server;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import jover.fuse.abi.Fuse;
import jover.fuse.abi.Opcode;
import jover.fuse.codec.Attr;
import jover.fuse.codec.Decoder;
import jover.fuse.codec.Encoder;
import jover.fuse.codec.EntryOut;
import jover.fuse.codec.InHeader;
import jover.fuse.codec.InitIn;
import jover.fuse.codec.InitOut;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Raw;
import jover.sys.StatFs;

/**
 * One serving thread's loop: read a request from its own channel, dispatch it, write the reply
 * on the same channel. Buffers are allocated once per worker.
 */
final class Worker implements Runnable {
    private static final int OUT_HEADER = Fuse.OUT_HEADER_SIZE;
    private static final int BODY = Fuse.IN_HEADER_SIZE;
    /** Where a WRITE request's data starts: after the header and fuse_write_in. */
    private static final int WRITE_DATA = BODY + 40;

    private final FuseServer server;
    private final FuseChannel channel;
    private final FuseFilesystem fs;
    private final ByteBuffer in;
    private final ByteBuffer out;
    private final byte[] scratch;
    private final ByteBuffer readData;
    private final ByteBuffer writeData;
    private final PackingDirSink dirSink;

    Worker(FuseServer server, FuseChannel channel) {
        this.server = server;
        this.channel = channel;
        this.fs = server.filesystem();
        int inSize = Math.max(Fuse.MIN_READ_BUFFER, WRITE_DATA + InitPolicy.MAX_WRITE);
        this.in = ByteBuffer.allocateDirect(inSize).order(ByteOrder.LITTLE_ENDIAN);
        this.out = ByteBuffer.allocateDirect(OUT_HEADER + InitPolicy.MAX_WRITE + 4096).order(ByteOrder.LITTLE_ENDIAN);
        this.scratch = new byte[inSize];
        // views of the data parts of READ replies and WRITE requests, made once: no allocation per request
        this.readData = out.position(OUT_HEADER).slice();
        out.clear();
        this.writeData = in.position(WRITE_DATA).slice();
        in.clear();
        this.dirSink = new PackingDirSink(out, OUT_HEADER);
    }

    @Override
    public void run() {
        while (true) {
            int n;
            try {
                n = channel.read(in);
            } catch (ErrnoException e) {
                switch (e.errno()) {
                    case Errno.EINTR: case Errno.EAGAIN: case Errno.ENOENT:
                        continue; // interrupted, or the request was aborted before we got it
                    case Errno.ENODEV:
                        server.workerExited(null); // unmounted: the normal end
                        return;
                    default:
                        server.workerExited(e);
                        return;
                }
            }
            if (n < BODY) {
                server.log("short request of " + n + " bytes ignored");
                continue;
            }
            handle(n);
        }
    }

    private void handle(int n) {
        try {
            serve(n);
        } catch (Throwable t) {
            // a fault outside a request's own handling (a broken install, say): log it, keep serving
            server.log("internal error: " + t);
        }
    }

    private void serve(int n) {
        InHeader h = Decoder.header(in);
        server.count(h.opcode());
        if (server.debug()) {
            server.log("unique: " + h.unique() + ", opcode: " + Opcode.name(h.opcode()) + " (" + h.opcode()
                    + "), nodeid: " + h.nodeid() + ", insize: " + n + ", pid: " + h.pid());
        }
        int end = Math.min(n, h.len());
        if (h.opcode() == Opcode.FORGET || h.opcode() == Opcode.BATCH_FORGET || h.opcode() == Opcode.INTERRUPT) {
            noReply(h, end);
            return;
        }
        InFlight.Token token = server.interrupts().begin(h.unique());
        try {
            int len = dispatch(h, end);
            reply(h, 0, len);
        } catch (ErrnoException e) {
            reply(h, e.errno(), 0);
        } catch (RuntimeException | Error e) {
            server.log("internal error in " + Opcode.name(h.opcode()) + ": " + e);
            if (server.debug()) {
                e.printStackTrace();
            }
            reply(h, Errno.EIO, 0);
        } finally {
            server.interrupts().end(token);
        }
    }

    /** Serves one request, leaving its reply body at OUT_HEADER; returns the body length. */
    private int dispatch(InHeader h, int end) throws ErrnoException {
        Caller c = new Caller(h.uid(), h.gid(), h.pid());
        long node = h.nodeid();
        switch (h.opcode()) {
            case Opcode.INIT:
                return init();
            case Opcode.DESTROY:
                return 0;
            case Opcode.LOOKUP:
                return entry(fs.lookup(c, node, name(BODY, end)));
            case Opcode.GETATTR: {
                int flags = in.getInt(BODY);
                long fh = (flags & Fuse.GETATTR_FH) != 0 ? in.getLong(BODY + 8) : -1;
                return attr(fs.getattr(c, node, fh));
            }
            case Opcode.READLINK: {
                String target = fs.readlink(c, node);
                byte[] bytes = Raw.bytes(target);
                return Encoder.bytes(out, OUT_HEADER, bytes, bytes.length) - OUT_HEADER;
            }
            case Opcode.OPEN:
                return open(fs.open(c, node, in.getInt(BODY)));
            case Opcode.READ: {
                int size = Math.min(in.getInt(BODY + 16), readData.capacity());
                return fs.read(c, node, in.getLong(BODY), in.getLong(BODY + 8), size, readData.clear().limit(size));
            }
            case Opcode.RELEASE:
                fs.release(node, in.getLong(BODY));
                return 0;
            case Opcode.OPENDIR:
                return open(fs.opendir(c, node, in.getInt(BODY)));
            case Opcode.READDIR:
            case Opcode.READDIRPLUS: {
                int size = Math.min(in.getInt(BODY + 16), out.capacity() - OUT_HEADER);
                dirSink.reset(size, h.opcode() == Opcode.READDIRPLUS);
                fs.readdir(c, node, in.getLong(BODY), in.getLong(BODY + 8), dirSink);
                return dirSink.length();
            }
            case Opcode.RELEASEDIR:
                fs.releasedir(node, in.getLong(BODY));
                return 0;
            case Opcode.FSYNC:
                fs.fsync(c, node, in.getLong(BODY), (in.getInt(BODY + 8) & 1) != 0);
                return 0;
            case Opcode.FSYNCDIR:
                fs.fsyncdir(c, node, in.getLong(BODY), (in.getInt(BODY + 8) & 1) != 0);
                return 0;
            case Opcode.STATFS: {
                StatFs s = fs.statfs(c, node);
                return Encoder.kstatfs(out, OUT_HEADER, s.blocks(), s.bfree(), s.bavail(), s.files(), s.ffree(),
                        s.bsize(), s.namelen(), s.frsize()) - OUT_HEADER;
            }
            case Opcode.GETXATTR: {
                int size = in.getInt(BODY);
                return xattrReply(fs.getxattr(c, node, name(BODY + 8, end)), size);
            }
            case Opcode.LISTXATTR:
                return xattrReply(joinNames(fs.listxattr(c, node)), in.getInt(BODY));
            case Opcode.ACCESS:
                fs.access(c, node, in.getInt(BODY));
                return 0;
            default:
                return dispatchChange(h, c, node, end);
        }
    }

    /** The changing operations. */
    private int dispatchChange(InHeader h, Caller c, long node, int end) throws ErrnoException {
        switch (h.opcode()) {
            case Opcode.MKNOD:
                return entry(fs.mknod(c, node, name(BODY + 16, end), in.getInt(BODY), in.getInt(BODY + 4),
                        in.getInt(BODY + 8)));
            case Opcode.MKDIR:
                return entry(fs.mkdir(c, node, name(BODY + 8, end), in.getInt(BODY), in.getInt(BODY + 4)));
            case Opcode.SYMLINK: {
                String name = name(BODY, end);
                String target = Decoder.cstring(in, BODY + name.length() + 1, end, scratch);
                if (target == null || target.isEmpty()) {
                    throw new ErrnoException(Errno.EINVAL, "symlink", name);
                }
                return entry(fs.symlink(c, node, name, target));
            }
            case Opcode.LINK:
                return entry(fs.link(c, in.getLong(BODY), node, name(BODY + 8, end)));
            case Opcode.UNLINK:
                fs.unlink(c, node, name(BODY, end));
                return 0;
            case Opcode.RMDIR:
                fs.rmdir(c, node, name(BODY, end));
                return 0;
            case Opcode.RENAME:
                return rename(c, node, in.getLong(BODY), 0, BODY + 8, end);
            case Opcode.RENAME2:
                return rename(c, node, in.getLong(BODY), in.getInt(BODY + 8), BODY + 16, end);
            case Opcode.CREATE:
                return created(fs.create(c, node, name(BODY + 16, end), in.getInt(BODY), in.getInt(BODY + 4),
                        in.getInt(BODY + 8)));
            case Opcode.TMPFILE:
                return created(fs.tmpfile(c, node, in.getInt(BODY), in.getInt(BODY + 4), in.getInt(BODY + 8)));
            case Opcode.SETATTR:
                return attr(fs.setattr(c, node, new FuseFilesystem.SetAttr(in.getInt(BODY), in.getLong(BODY + 8),
                        in.getLong(BODY + 16), in.getLong(BODY + 32), in.getInt(BODY + 56), in.getLong(BODY + 40),
                        in.getInt(BODY + 60), in.getInt(BODY + 68), in.getInt(BODY + 76), in.getInt(BODY + 80))));
            case Opcode.WRITE: {
                int size = in.getInt(BODY + 16);
                if (WRITE_DATA + size > end) {
                    throw new ErrnoException(Errno.EINVAL, "write", "short request");
                }
                boolean kill = (in.getInt(BODY + 20) & Fuse.WRITE_KILL_SUIDGID) != 0;
                int n = fs.write(c, node, in.getLong(BODY), in.getLong(BODY + 8), writeData.clear().limit(size), size,
                        kill);
                out.putInt(OUT_HEADER, n);
                out.putInt(OUT_HEADER + 4, 0);
                return Fuse.WRITE_OUT_SIZE;
            }
            case Opcode.FALLOCATE:
                fs.fallocate(c, node, in.getLong(BODY), in.getLong(BODY + 8), in.getLong(BODY + 16),
                        in.getInt(BODY + 24));
                return 0;
            case Opcode.LSEEK:
                out.putLong(OUT_HEADER, fs.lseek(c, node, in.getLong(BODY), in.getLong(BODY + 8),
                        in.getInt(BODY + 16)));
                return Fuse.LSEEK_OUT_SIZE;
            case Opcode.SETXATTR: {
                int size = in.getInt(BODY);
                String name = name(BODY + 8, end);
                int value = BODY + 8 + name.length() + 1;
                if (value + size > end) {
                    throw new ErrnoException(Errno.EINVAL, "setxattr", "short request");
                }
                byte[] bytes = new byte[size];
                in.get(value, bytes);
                fs.setxattr(c, node, name, bytes, in.getInt(BODY + 4));
                return 0;
            }
            case Opcode.REMOVEXATTR:
                fs.removexattr(c, node, name(BODY, end));
                return 0;
            case Opcode.COPY_FILE_RANGE:
            case Opcode.COPY_FILE_RANGE_64: {
                long n = fs.copyFileRange(c, node, in.getLong(BODY), in.getLong(BODY + 8), in.getLong(BODY + 16),
                        in.getLong(BODY + 24), in.getLong(BODY + 32), in.getLong(BODY + 40), (int) in.getLong(BODY + 48));
                if (h.opcode() == Opcode.COPY_FILE_RANGE) {
                    out.putInt(OUT_HEADER, (int) Math.min(n, Integer.MAX_VALUE));
                    out.putInt(OUT_HEADER + 4, 0);
                } else {
                    out.putLong(OUT_HEADER, n);
                }
                return 8;
            }
            case Opcode.SYNCFS:
                fs.syncfs(c, node);
                return 0;
            default:
                throw new ErrnoException(Errno.ENOSYS, Opcode.name(h.opcode()), "node " + node);
        }
    }

    private int rename(Caller c, long node, long newParent, int flags, int names, int end) throws ErrnoException {
        String oldName = name(names, end);
        String newName = name(names + oldName.length() + 1, end);
        fs.rename(c, node, oldName, newParent, newName, flags);
        return 0;
    }

    private int created(FuseFilesystem.Created r) {
        int off = Encoder.entryOut(out, OUT_HEADER, r.entry());
        OpenReply o = r.open();
        return Encoder.openOut(out, off, o.fh(), o.openFlags(), o.backingId()) - OUT_HEADER;
    }

    private int init() throws ErrnoException {
        InitIn kernel = Decoder.initIn(in, BODY);
        InitOut reply = InitPolicy.reply(kernel, fs.extraInitFlags(), fs.wantsPassthrough());
        if (reply == null) {
            throw new ErrnoException(Errno.EINVAL, "INIT", "kernel protocol too old");
        }
        if (kernel.major() == Fuse.KERNEL_VERSION) {
            server.initialized(reply); // a newer major is only told ours; its INIT comes again
        }
        return Encoder.initOut(out, OUT_HEADER, reply) - OUT_HEADER;
    }

    /** The requests that get no reply; a failure is logged and serving goes on. */
    private void noReply(InHeader h, int end) {
        try {
            switch (h.opcode()) {
                case Opcode.FORGET:
                    fs.forget(h.nodeid(), in.getLong(BODY));
                    break;
                case Opcode.BATCH_FORGET:
                    batchForget(end);
                    break;
                default:
                    server.interrupts().interrupt(in.getLong(BODY));
                    break;
            }
        } catch (RuntimeException e) {
            server.log("internal error in " + Opcode.name(h.opcode()) + ": " + e);
        }
    }

    private void batchForget(int end) {
        int count = in.getInt(BODY);
        int off = BODY + 8;
        for (int i = 0; i < count && off + 16 <= end; i++, off += 16) {
            fs.forget(in.getLong(off), in.getLong(off + 8));
        }
    }

    /** A name argument: NUL-terminated, not empty, no '/', not "." or "..". */
    private String name(int off, int end) throws ErrnoException {
        String name = Decoder.cstring(in, off, end, scratch);
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
            throw new ErrnoException(Errno.EINVAL, "name", String.valueOf(name));
        }
        return name;
    }

    private int entry(EntryOut e) {
        return Encoder.entryOut(out, OUT_HEADER, e) - OUT_HEADER;
    }

    private int attr(Attr a) {
        double t = fs.cacheTimeout();
        long sec = (long) t;
        int nsec = (int) ((t - sec) * 1e9);
        return Encoder.attrOut(out, OUT_HEADER, sec, nsec, a) - OUT_HEADER;
    }

    private int open(OpenReply r) {
        return Encoder.openOut(out, OUT_HEADER, r.fh(), r.openFlags(), r.backingId()) - OUT_HEADER;
    }

    /** size 0 asks how big the value is; otherwise the value, or ERANGE when it does not fit. */
    private int xattrReply(byte[] value, int size) throws ErrnoException {
        if (size == 0) {
            return Encoder.getxattrOut(out, OUT_HEADER, value.length) - OUT_HEADER;
        }
        if (value.length > size || value.length > out.capacity() - OUT_HEADER) {
            throw new ErrnoException(Errno.ERANGE, "xattr", "size " + size);
        }
        return Encoder.bytes(out, OUT_HEADER, value, value.length) - OUT_HEADER;
    }

    private static byte[] joinNames(List<String> names) {
        int len = 0;
        for (String n : names) {
            len += n.length() + 1;
        }
        byte[] all = new byte[len];
        int off = 0;
        for (String n : names) {
            for (int i = 0; i < n.length(); i++) {
                all[off++] = (byte) n.charAt(i);
            }
            all[off++] = 0;
        }
        return all;
    }

    private void reply(InHeader h, int errno, int bodyLen) {
        int len = OUT_HEADER + (errno == 0 ? bodyLen : 0);
        Encoder.outHeader(out, 0, len, -errno, h.unique());
        if (server.debug()) {
            server.log("   unique: " + h.unique() + ", " + (errno == 0 ? "success" : "error: " + Errno.name(errno))
                    + ", outsize: " + len);
        }
        try {
            channel.write(out, len);
        } catch (ErrnoException e) {
            // ENOENT: the caller's request was aborted meanwhile; anything else is worth a line.
            if (e.errno() != Errno.ENOENT) {
                server.log("reply to " + Opcode.name(h.opcode()) + " failed: " + e.getMessage());
            }
        }
    }
}
