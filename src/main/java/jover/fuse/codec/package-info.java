/**
 * Bytes to typed requests and typed replies to bytes, for the FUSE structs jover uses.
 * Pure: no I/O and no threads. All multi-byte fields are little endian (x86_64); buffers
 * passed in must already be in {@link java.nio.ByteOrder#LITTLE_ENDIAN} order. Names are raw
 * strings (one char per byte, see jover.sys.Raw).
 */
package jover.fuse.codec;
