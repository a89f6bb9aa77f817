package jover.fuse.codec;

import java.nio.ByteBuffer;
import jover.fuse.abi.Fuse;

/**
 * Where the bytes of one request are, as a transport received them, and a cursor the
 * {@link Decoder} reads them with. A request has three parts: fuse_in_header, the opcode's
 * fixed struct (the kernel's in_args[0]) and a payload (names, xattr values, write data).
 * Over /dev/fuse all three follow each other in one buffer ({@link #contiguous}); over
 * io_uring the header and struct sit in the ring entry's header buffer and the payload in its
 * own buffer ({@link #split}). One instance per receiving slot, reused for every request: it
 * allocates nothing. Buffers must be little endian.
 */
public final class RequestBytes {
    private ByteBuffer header;
    private int headerOff;
    private ByteBuffer struct;
    private int structOff;
    /** Bytes available for the struct; -1 while the struct is still to be cut from a contiguous request. */
    private int structAvailable;
    private ByteBuffer payload;
    private int cursor;
    private int end;
    private int received;
    private final byte[] scratch;

    /** @param maxName the longest name or string a request may carry */
    public RequestBytes(int maxName) {
        this.scratch = new byte[maxName];
    }

    /** A request of {@code length} bytes read into {@code b} from index 0 (/dev/fuse). */
    public void contiguous(ByteBuffer b, int length) {
        header = b;
        headerOff = 0;
        struct = b;
        structOff = Fuse.IN_HEADER_SIZE;
        payload = b;
        received = length;
        int claimed = length >= Fuse.IN_HEADER_SIZE ? b.getInt(0) : length;
        end = Math.max(Fuse.IN_HEADER_SIZE, Math.min(length, claimed));
        structAvailable = -1;
    }

    /**
     * A request whose header and fixed struct are in one buffer and whose payload of
     * {@code payloadLength} bytes is in another (io_uring ring entries).
     */
    public void split(ByteBuffer head, int headOff, ByteBuffer structBuf, int structOffset, int structSize,
                      ByteBuffer payloadBuf, int payloadOff, int payloadLength) {
        header = head;
        headerOff = headOff;
        struct = structBuf;
        structOff = structOffset;
        structAvailable = structSize;
        payload = payloadBuf;
        cursor = payloadOff;
        end = payloadOff + payloadLength;
        received = Fuse.IN_HEADER_SIZE + structSize + payloadLength;
    }

    /** How many bytes arrived; fewer than a header's 40 means there is no request to decode. */
    public int received() {
        return received;
    }

    /** The fuse_in_header. */
    public InHeader header() {
        ByteBuffer b = header;
        int o = headerOff;
        return new InHeader(b.getInt(o), b.getInt(o + 4), b.getLong(o + 8), b.getLong(o + 16), b.getInt(o + 24),
                b.getInt(o + 28), b.getInt(o + 32), b.getShort(o + 36) & 0xffff);
    }

    /** Checks that the opcode's struct of {@code size} bytes is all there and puts the cursor after it. */
    void expectStruct(int size) throws BadRequest {
        if (structAvailable < 0) {
            if (structOff + size > end) {
                throw BadRequest.malformed("body shorter than its " + size + "-byte struct");
            }
            cursor = structOff + size;
        } else if (size > structAvailable) {
            throw BadRequest.malformed("struct shorter than " + size + " bytes");
        }
    }

    /** Bytes of the fixed struct that arrived (a contiguous request: all of its body). */
    int structBytes() {
        return structAvailable >= 0 ? structAvailable : end - structOff;
    }

    int u32(int field) {
        return struct.getInt(structOff + field);
    }

    long u64(int field) {
        return struct.getLong(structOff + field);
    }

    /** Payload bytes not yet read. */
    int remaining() {
        return end - cursor;
    }

    /**
     * The next NUL-terminated string of the payload as a raw string, the cursor moved past its
     * NUL; null (cursor unchanged) when no NUL ends it before the request does.
     */
    String cstring() {
        int n = 0;
        for (int i = cursor; i < end && n < scratch.length; i++) {
            byte c = payload.get(i);
            if (c == 0) {
                cursor = i + 1;
                return new String(scratch, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            scratch[n++] = c;
        }
        return null;
    }

    /** The next string of the payload, which must be a name: not empty, no '/', not "." or "..". */
    String name() throws BadRequest {
        String name = cstring();
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
            throw BadRequest.malformed("not a name: " + name);
        }
        return name;
    }

    /** The next string of the payload as an xattr name: not empty ('/' and dots are allowed there). */
    String xattrName() throws BadRequest {
        String name = cstring();
        if (name == null || name.isEmpty()) {
            throw BadRequest.malformed("not an xattr name: " + name);
        }
        return name;
    }

    /** The next {@code size} payload bytes, copied. */
    byte[] bytes(int size) throws BadRequest {
        if (size < 0 || size > remaining()) {
            throw BadRequest.malformed("payload shorter than " + size + " bytes");
        }
        byte[] copy = new byte[size];
        payload.get(cursor, copy);
        cursor += size;
        return copy;
    }

    /** A view of the next {@code size} payload bytes, in place (write data: no copy). */
    ByteBuffer view(int size) throws BadRequest {
        if (size < 0 || size > remaining()) {
            throw BadRequest.malformed("payload shorter than " + size + " bytes");
        }
        ByteBuffer v = payload.slice(cursor, size).order(payload.order());
        cursor += size;
        return v;
    }

    /** The next u64 of the payload (BATCH_FORGET's records); check {@link #remaining} first. */
    long nextU64() {
        long v = payload.getLong(cursor);
        cursor += 8;
        return v;
    }
}
