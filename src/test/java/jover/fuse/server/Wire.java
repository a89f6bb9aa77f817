package jover.fuse.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds FUSE requests the way the kernel lays them out (shared/fuse-protocol.md), independently
 * of jover's codec, and parses the replies' out headers.
 */
final class Wire {
    static final int UID = 1000;
    static final int GID = 100;
    static final int PID = 4242;

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    static Wire body() {
        return new Wire();
    }

    Wire u16(int v) {
        body.write(v & 0xff);
        body.write((v >>> 8) & 0xff);
        return this;
    }

    Wire u32(int v) {
        for (int i = 0; i < 4; i++) {
            body.write((v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    Wire u64(long v) {
        for (int i = 0; i < 8; i++) {
            body.write((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    /** Raw chars 0-255 as bytes, without a terminator. */
    Wire raw(String s) {
        for (int i = 0; i < s.length(); i++) {
            body.write(s.charAt(i));
        }
        return this;
    }

    /** Raw chars as bytes followed by a NUL. */
    Wire cstr(String s) {
        return raw(s).u8(0);
    }

    Wire u8(int v) {
        body.write(v);
        return this;
    }

    byte[] bytes() {
        return body.toByteArray();
    }

    /** A whole request: fuse_in_header (len = 40 + body) followed by {@code body}. */
    static byte[] request(int opcode, long unique, long nodeid, byte[] body) {
        return request(40 + body.length, opcode, unique, nodeid, body);
    }

    /** A request whose header claims {@code len} bytes, whatever the body's real size. */
    static byte[] request(int len, int opcode, long unique, long nodeid, byte[] body) {
        Wire w = new Wire()
                .u32(len)       //  0 len
                .u32(opcode)    //  4 opcode
                .u64(unique)    //  8 unique
                .u64(nodeid)    // 16 nodeid
                .u32(UID)       // 24 uid
                .u32(GID)       // 28 gid
                .u32(PID)       // 32 pid
                .u16(0)         // 36 total_extlen
                .u16(0);        // 38 padding
        byte[] head = w.bytes();
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    static byte[] request(int opcode, long unique, long nodeid, Wire body) {
        return request(opcode, unique, nodeid, body.bytes());
    }

    static byte[] request(int opcode, long unique, long nodeid) {
        return request(opcode, unique, nodeid, new byte[0]);
    }

    /** fuse_init_in. */
    static Wire initIn(int major, int minor, int maxReadahead, int flags, int flags2) {
        Wire w = body().u32(major).u32(minor).u32(maxReadahead).u32(flags).u32(flags2);
        for (int i = 0; i < 11; i++) {
            w.u32(0); // unused[11]
        }
        return w;
    }

    /** fuse_read_in, as READ, READDIR and READDIRPLUS carry it. */
    static Wire readIn(long fh, long offset, int size) {
        return body().u64(fh).u64(offset).u32(size).u32(0).u64(0).u32(0).u32(0);
    }

    /** One captured reply: its out header, its body and how many bytes were written. */
    record Reply(int len, int error, long unique, byte[] body, int written) {
        static Reply parse(byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            byte[] body = new byte[Math.max(0, bytes.length - 16)];
            b.get(16, body);
            return new Reply(b.getInt(0), b.getInt(4), b.getLong(8), body, bytes.length);
        }

        ByteBuffer bodyBuffer() {
            return ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public String toString() {
            return "Reply(unique=" + unique + ", error=" + error + ", len=" + len + ", written=" + written + ")";
        }
    }
}
