package jover.fuse.codec;

import java.nio.ByteBuffer;
import jover.fuse.abi.Fuse;
import jover.fuse.abi.Opcode;

/**
 * Bytes to typed requests. A table indexed by opcode gives each served opcode the size of its
 * fixed struct (include/uapi/linux/fuse.h, protocol 7.45 without SETXATTR_EXT) and a reader;
 * the size is checked once, before any field is read, so no reader can see past the request.
 * Offsets in the readers are those of the kernel struct, as comments name them.
 */
public final class Decoder {
    /** Reads one opcode's record from a request whose struct size has been checked. */
    @FunctionalInterface
    private interface Reader {
        Request read(RequestBytes in) throws BadRequest;
    }

    private record Op(int structSize, Reader reader) {
    }

    private static final Op[] OPS = new Op[Opcode.LIMIT];

    static {
        names();
        files();
        directories();
        changes();
        xattrsAndSession();
    }

    private Decoder() {
    }

    /** The fuse_in_header at index 0 of {@code b}. */
    public static InHeader header(ByteBuffer b) {
        return new InHeader(b.getInt(0), b.getInt(4), b.getLong(8), b.getLong(16), b.getInt(24),
                b.getInt(28), b.getInt(32), b.getShort(36) & 0xffff);
    }

    /** The body of the request in {@code in}, whose header is {@code h}. */
    public static Request decode(InHeader h, RequestBytes in) throws BadRequest {
        int opcode = h.opcode();
        Op op = opcode >= 0 && opcode < OPS.length ? OPS[opcode] : null;
        if (op == null) {
            throw BadRequest.unknown(opcode);
        }
        in.expectStruct(op.structSize());
        return op.reader().read(in);
    }

    /** Whether jover decodes {@code opcode} (others are answered ENOSYS). */
    public static boolean serves(int opcode) {
        return opcode >= 0 && opcode < OPS.length && OPS[opcode] != null;
    }

    private static void on(int opcode, int structSize, Reader reader) {
        OPS[opcode] = new Op(structSize, reader);
    }

    private static void names() {
        on(Opcode.LOOKUP, 0, in -> new Request.Lookup(in.name()));
        on(Opcode.FORGET, 8, in -> new Request.Forget(in.u64(0)));                 // fuse_forget_in
        on(Opcode.BATCH_FORGET, 8, Decoder::batchForget);                            // fuse_batch_forget_in
        on(Opcode.GETATTR, 16, in -> new Request.Getattr(                            // fuse_getattr_in
                (in.u32(0) & Fuse.GETATTR_FH) != 0 ? in.u64(8) : -1));               // flags, dummy, fh
        on(Opcode.READLINK, 0, in -> new Request.Readlink());
        on(Opcode.ACCESS, 8, in -> new Request.Access(in.u32(0)));                  // fuse_access_in: mask
        on(Opcode.INTERRUPT, 8, in -> new Request.Interrupt(in.u64(0)));            // fuse_interrupt_in
    }

    private static void files() {
        on(Opcode.OPEN, 8, in -> new Request.Open(in.u32(0)));                      // fuse_open_in: flags
        on(Opcode.READ, 40, in -> new Request.Read(in.u64(0), in.u64(8), in.u32(16))); // fuse_read_in
        on(Opcode.WRITE, 40, Decoder::write);                                       // fuse_write_in
        on(Opcode.RELEASE, 24, in -> new Request.Release(in.u64(0)));               // fuse_release_in
        on(Opcode.FSYNC, 16, in -> new Request.Fsync(in.u64(0), (in.u32(8) & 1) != 0)); // fh, fsync_flags
        on(Opcode.FALLOCATE, 32, in -> new Request.Fallocate(in.u64(0), in.u64(8), in.u64(16), in.u32(24)));
        on(Opcode.LSEEK, 24, in -> new Request.Lseek(in.u64(0), in.u64(8), in.u32(16))); // fh, offset, whence
        on(Opcode.COPY_FILE_RANGE, 56, in -> copyFileRange(in, false));
        on(Opcode.COPY_FILE_RANGE_64, 56, in -> copyFileRange(in, true));
    }

    private static void directories() {
        on(Opcode.OPENDIR, 8, in -> new Request.Opendir(in.u32(0)));
        on(Opcode.READDIR, 40, in -> new Request.Readdir(in.u64(0), in.u64(8), in.u32(16), false));
        on(Opcode.READDIRPLUS, 40, in -> new Request.Readdir(in.u64(0), in.u64(8), in.u32(16), true));
        on(Opcode.RELEASEDIR, 24, in -> new Request.Releasedir(in.u64(0)));
        on(Opcode.FSYNCDIR, 16, in -> new Request.Fsyncdir(in.u64(0), (in.u32(8) & 1) != 0));
    }

    private static void changes() {
        on(Opcode.SETATTR, 88, Decoder::setattr);
        on(Opcode.SYMLINK, 0, Decoder::symlink);
        on(Opcode.MKNOD, 16, in -> new Request.Mknod(in.name(), in.u32(0), in.u32(4), in.u32(8))); // mode, rdev, umask
        on(Opcode.MKDIR, 8, in -> new Request.Mkdir(in.name(), in.u32(0), in.u32(4)));            // mode, umask
        on(Opcode.UNLINK, 0, in -> new Request.Unlink(in.name()));
        on(Opcode.RMDIR, 0, in -> new Request.Rmdir(in.name()));
        on(Opcode.RENAME, 8, in -> new Request.Rename(in.u64(0), in.name(), in.name(), 0));     // fuse_rename_in
        on(Opcode.RENAME2, 16, in -> new Request.Rename(in.u64(0), in.name(), in.name(), in.u32(8))); // + flags
        on(Opcode.LINK, 8, in -> new Request.Link(in.u64(0), in.name()));                        // oldnodeid
        on(Opcode.CREATE, 16, in -> new Request.Create(in.name(), in.u32(0), in.u32(4), in.u32(8))); // fuse_create_in
        on(Opcode.TMPFILE, 16, in -> new Request.Tmpfile(in.u32(0), in.u32(4), in.u32(8)));
    }

    private static void xattrsAndSession() {
        on(Opcode.SETXATTR, 8, Decoder::setxattr);                                   // fuse_setxattr_in: size, flags
        on(Opcode.GETXATTR, 8, in -> {                                               // fuse_getxattr_in: size
            int size = in.u32(0);
            return new Request.Getxattr(in.xattrName(), size);
        });
        on(Opcode.LISTXATTR, 8, in -> new Request.Listxattr(in.u32(0)));
        on(Opcode.REMOVEXATTR, 0, in -> new Request.Removexattr(in.xattrName()));
        on(Opcode.STATFS, 0, in -> new Request.Statfs());
        on(Opcode.INIT, 16, Decoder::init);
        on(Opcode.DESTROY, 0, in -> new Request.Destroy());
        on(Opcode.SYNCFS, 8, in -> new Request.Syncfs());                            // fuse_syncfs_in: padding
    }

    /** fuse_batch_forget_in (count, dummy), then count fuse_forget_one (nodeid, nlookup); a short list is cut. */
    private static Request batchForget(RequestBytes in) {
        int count = (int) Math.min(Integer.toUnsignedLong(in.u32(0)), in.remaining() / 16);
        long[] ids = new long[count];
        long[] counts = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = in.nextU64();
            counts[i] = in.nextU64();
        }
        return new Request.BatchForget(ids, counts);
    }

    /** fuse_write_in: fh, offset, size, write_flags, lock_owner, flags, padding; then the data. */
    private static Request write(RequestBytes in) throws BadRequest {
        int size = in.u32(16);
        return new Request.Write(in.u64(0), in.u64(8), size, in.u32(20), in.view(size));
    }

    /**
     * fuse_setattr_in: valid@0, fh@8, size@16, lock_owner@24, atime@32, mtime@40, ctime@48,
     * atimensec@56, mtimensec@60, ctimensec@64, mode@68, uid@76, gid@80.
     */
    private static Request setattr(RequestBytes in) {
        return new Request.Setattr(in.u32(0), in.u64(8), in.u64(16), in.u64(32), in.u32(56), in.u64(40), in.u32(60),
                in.u32(68), in.u32(76), in.u32(80));
    }

    /** The link's name, then its target (a C string that must not be empty). */
    private static Request symlink(RequestBytes in) throws BadRequest {
        String name = in.name();
        String target = in.cstring();
        if (target == null || target.isEmpty()) {
            throw BadRequest.malformed("symlink target");
        }
        return new Request.Symlink(name, target);
    }

    private static Request setxattr(RequestBytes in) throws BadRequest {
        int size = in.u32(0);
        int flags = in.u32(4);
        String name = in.xattrName();
        return new Request.Setxattr(name, in.bytes(size), flags);
    }

    /** fuse_copy_file_range_in: fh_in, off_in, nodeid_out, fh_out, off_out, len, flags (u64 each). */
    private static Request copyFileRange(RequestBytes in, boolean wide) {
        return new Request.CopyFileRange(in.u64(0), in.u64(8), in.u64(16), in.u64(24), in.u64(32), in.u64(40),
                in.u64(48), wide);
    }

    /** fuse_init_in: major, minor, max_readahead, flags, then (from 7.36) flags2. */
    private static Request init(RequestBytes in) {
        int flags2 = in.structBytes() >= 20 ? in.u32(16) : 0;
        return new Request.Init(new InitIn(in.u32(0), in.u32(4), in.u32(8), in.u32(12), flags2));
    }

    /** fuse_init_in at {@code off} of {@code b} (the whole 64-byte struct there). */
    public static InitIn initIn(ByteBuffer b, int off) {
        return new InitIn(b.getInt(off), b.getInt(off + 4), b.getInt(off + 8), b.getInt(off + 12),
                b.getInt(off + 16));
    }
}
