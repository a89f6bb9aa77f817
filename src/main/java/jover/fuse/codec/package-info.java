/**
 * Bytes to typed requests and typed replies to bytes, for the FUSE structs jover uses.
 * {@link jover.fuse.codec.Decoder} turns a request's bytes ({@link jover.fuse.codec.RequestBytes},
 * contiguous as read from /dev/fuse or split as an io_uring ring entry holds them) into one
 * {@link jover.fuse.codec.Request} record per opcode, checking the opcode's struct size once
 * before any field is read and refusing malformed bodies ({@link jover.fuse.codec.BadRequest});
 * {@link jover.fuse.codec.Encoder} writes reply structs and {@link jover.fuse.codec.Notifications}
 * whole notification messages. Pure: no I/O and no threads. All multi-byte fields are little
 * endian (x86_64); buffers passed in must already be in
 * {@link java.nio.ByteOrder#LITTLE_ENDIAN} order. Names are raw strings (one char per byte, see
 * jover.sys.Raw). The only package that reads or writes numbers at offsets of wire buffers
 * (ArchitectureTest pins it).
 */
package jover.fuse.codec;
