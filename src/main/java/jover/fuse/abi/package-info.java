/**
 * The FUSE kernel ABI as constants: opcodes, flag bits and struct sizes of protocol 7.45
 * (include/uapi/linux/fuse.h; layouts verified in shared/fuse-protocol.md). Pure data, no I/O.
 */
package jover.fuse.abi;
