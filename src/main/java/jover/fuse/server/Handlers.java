package jover.fuse.server;

import java.nio.ByteBuffer;
import jover.fuse.abi.Fuse;
import jover.fuse.abi.Opcode;
import jover.fuse.codec.Request;
import jover.sys.Errno;
import jover.sys.ErrnoException;

/**
 * The dispatch table: for each opcode the decoder serves, the handler that calls the
 * filesystem and encodes its answer. A handler returns the reply body's length, or
 * {@link #NO_REPLY} for the requests the kernel expects no answer to (FORGET, BATCH_FORGET,
 * INTERRUPT).
 */
final class Handlers {
    static final int NO_REPLY = -1;

    /** Serves one decoded request of type {@code R}. */
    @FunctionalInterface
    interface Handler<R extends Request> {
        int serve(Call call, R request) throws ErrnoException;
    }

    private final FuseFilesystem fs;
    private final Connection connection;
    @SuppressWarnings("unchecked")
    private final Handler<Request>[] table = new Handler[Opcode.LIMIT];

    Handlers(Connection connection) {
        this.connection = connection;
        this.fs = connection.filesystem();
        session();
        lookups();
        files();
        directories();
        xattrs();
        names();
        changes();
    }

    /** Whether {@code opcode} gets no reply (whatever happens while serving it). */
    static boolean silent(int opcode) {
        return opcode == Opcode.FORGET || opcode == Opcode.BATCH_FORGET || opcode == Opcode.INTERRUPT;
    }

    /** Serves {@code request} (of {@code opcode}); ENOSYS for an opcode without a handler. */
    int serve(int opcode, Call call, Request request) throws ErrnoException {
        Handler<Request> h = opcode >= 0 && opcode < table.length ? table[opcode] : null;
        if (h == null) {
            throw new ErrnoException(Errno.ENOSYS, Opcode.name(opcode), "node " + call.node());
        }
        return h.serve(call, request);
    }

    private <R extends Request> void on(int opcode, Class<R> type, Handler<R> handler) {
        table[opcode] = (call, request) -> handler.serve(call, type.cast(request));
    }

    private void session() {
        on(Opcode.INIT, Request.Init.class, (c, r) -> connection.init(c, r.offer()));
        on(Opcode.DESTROY, Request.Destroy.class, (c, r) -> 0);
        on(Opcode.FORGET, Request.Forget.class, (c, r) -> {
            fs.forget(c.node(), r.nlookup());
            return NO_REPLY;
        });
        on(Opcode.BATCH_FORGET, Request.BatchForget.class, (c, r) -> {
            for (int i = 0; i < r.nodeIds().length; i++) {
                fs.forget(r.nodeIds()[i], r.counts()[i]);
            }
            return NO_REPLY;
        });
        on(Opcode.INTERRUPT, Request.Interrupt.class, (c, r) -> {
            connection.interrupts().interrupt(r.unique());
            return NO_REPLY;
        });
        on(Opcode.STATFS, Request.Statfs.class, (c, r) -> c.statfs(fs.statfs(c.caller(), c.node())));
        on(Opcode.SYNCFS, Request.Syncfs.class, (c, r) -> {
            fs.syncfs(c.caller(), c.node());
            return 0;
        });
    }

    private void lookups() {
        on(Opcode.LOOKUP, Request.Lookup.class, (c, r) -> c.entry(fs.lookup(c.caller(), c.node(), r.name())));
        on(Opcode.GETATTR, Request.Getattr.class, (c, r) -> c.attr(fs.getattr(c.caller(), c.node(), r.fh())));
        on(Opcode.READLINK, Request.Readlink.class, (c, r) -> c.raw(fs.readlink(c.caller(), c.node())));
        on(Opcode.ACCESS, Request.Access.class, (c, r) -> {
            fs.access(c.caller(), c.node(), r.mask());
            return 0;
        });
    }

    private void files() {
        on(Opcode.OPEN, Request.Open.class, (c, r) -> c.open(fs.open(c.caller(), c.node(), r.flags())));
        on(Opcode.READ, Request.Read.class, (c, r) -> {
            ByteBuffer dst = c.data(r.size());
            return fs.read(c.caller(), c.node(), r.fh(), r.offset(), dst.limit(), dst);
        });
        on(Opcode.WRITE, Request.Write.class, (c, r) -> c.written(fs.write(c.caller(), c.node(), r.fh(), r.offset(),
                r.data(), r.size(), (r.writeFlags() & Fuse.WRITE_KILL_SUIDGID) != 0)));
        on(Opcode.RELEASE, Request.Release.class, (c, r) -> {
            fs.release(c.node(), r.fh());
            return 0;
        });
        on(Opcode.FSYNC, Request.Fsync.class, (c, r) -> {
            fs.fsync(c.caller(), c.node(), r.fh(), r.datasync());
            return 0;
        });
        on(Opcode.FALLOCATE, Request.Fallocate.class, (c, r) -> {
            fs.fallocate(c.caller(), c.node(), r.fh(), r.offset(), r.length(), r.mode());
            return 0;
        });
        on(Opcode.LSEEK, Request.Lseek.class, (c, r) -> c.lseek(fs.lseek(c.caller(), c.node(), r.fh(), r.offset(),
                r.whence())));
        Handler<Request.CopyFileRange> copy = (c, r) -> c.copied(fs.copyFileRange(c.caller(), c.node(), r.fhIn(),
                r.offIn(), r.nodeOut(), r.fhOut(), r.offOut(), r.len(), (int) r.flags()), r.wide());
        on(Opcode.COPY_FILE_RANGE, Request.CopyFileRange.class, copy);
        on(Opcode.COPY_FILE_RANGE_64, Request.CopyFileRange.class, copy);
    }

    private void directories() {
        on(Opcode.OPENDIR, Request.Opendir.class, (c, r) -> c.open(fs.opendir(c.caller(), c.node(), r.flags())));
        Handler<Request.Readdir> readdir = (c, r) -> {
            DirSink sink = c.dirSink(r.size(), r.plus());
            fs.readdir(c.caller(), c.node(), r.fh(), r.offset(), sink);
            return c.dirLength();
        };
        on(Opcode.READDIR, Request.Readdir.class, readdir);
        on(Opcode.READDIRPLUS, Request.Readdir.class, readdir);
        on(Opcode.RELEASEDIR, Request.Releasedir.class, (c, r) -> {
            fs.releasedir(c.node(), r.fh());
            return 0;
        });
        on(Opcode.FSYNCDIR, Request.Fsyncdir.class, (c, r) -> {
            fs.fsyncdir(c.caller(), c.node(), r.fh(), r.datasync());
            return 0;
        });
    }

    private void xattrs() {
        on(Opcode.GETXATTR, Request.Getxattr.class, (c, r) -> c.xattr(fs.getxattr(c.caller(), c.node(), r.name()),
                r.size()));
        on(Opcode.LISTXATTR, Request.Listxattr.class, (c, r) -> c.xattrNames(fs.listxattr(c.caller(), c.node()),
                r.size()));
        on(Opcode.SETXATTR, Request.Setxattr.class, (c, r) -> {
            fs.setxattr(c.caller(), c.node(), r.name(), r.value(), r.flags());
            return 0;
        });
        on(Opcode.REMOVEXATTR, Request.Removexattr.class, (c, r) -> {
            fs.removexattr(c.caller(), c.node(), r.name());
            return 0;
        });
    }

    /** The changes that make or remove a name. */
    private void names() {
        on(Opcode.MKNOD, Request.Mknod.class, (c, r) -> c.entry(fs.mknod(c.caller(), c.node(), r.name(), r.mode(),
                r.rdev(), r.umask())));
        on(Opcode.MKDIR, Request.Mkdir.class, (c, r) -> c.entry(fs.mkdir(c.caller(), c.node(), r.name(), r.mode(),
                r.umask())));
        on(Opcode.SYMLINK, Request.Symlink.class, (c, r) -> c.entry(fs.symlink(c.caller(), c.node(), r.name(),
                r.target())));
        on(Opcode.LINK, Request.Link.class, (c, r) -> c.entry(fs.link(c.caller(), r.oldNode(), c.node(),
                r.newName())));
        on(Opcode.UNLINK, Request.Unlink.class, (c, r) -> {
            fs.unlink(c.caller(), c.node(), r.name());
            return 0;
        });
        on(Opcode.RMDIR, Request.Rmdir.class, (c, r) -> {
            fs.rmdir(c.caller(), c.node(), r.name());
            return 0;
        });
        Handler<Request.Rename> rename = (c, r) -> {
            fs.rename(c.caller(), c.node(), r.name(), r.newDir(), r.newName(), r.flags());
            return 0;
        };
        on(Opcode.RENAME, Request.Rename.class, rename);
        on(Opcode.RENAME2, Request.Rename.class, rename);
    }

    private void changes() {
        on(Opcode.CREATE, Request.Create.class, (c, r) -> c.created(fs.create(c.caller(), c.node(), r.name(),
                r.flags(), r.mode(), r.umask())));
        on(Opcode.TMPFILE, Request.Tmpfile.class, (c, r) -> c.created(fs.tmpfile(c.caller(), c.node(), r.flags(),
                r.mode(), r.umask())));
        on(Opcode.SETATTR, Request.Setattr.class, (c, r) -> c.attr(fs.setattr(c.caller(), c.node(),
                Replies.setAttr(r))));
    }
}
