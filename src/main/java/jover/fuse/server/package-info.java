/**
 * The FUSE server: mounting on /dev/fuse, INIT negotiation, worker threads on cloned
 * descriptors, dispatch by opcode to a {@link jover.fuse.server.FuseFilesystem}, INTERRUPT and
 * FORGET handling. Nothing above this package sees a ByteBuffer or an opcode; nothing in it
 * knows about layers. Each reply is written on the descriptor its request was read from.
 */
package jover.fuse.server;
