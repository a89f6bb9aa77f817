/**
 * The FUSE transport: how requests reach jover and replies leave it, below the server and above
 * {@link jover.sys}. {@link jover.fuse.transport.DevFuse} opens /dev/fuse, mounts and clones
 * descriptors, and carries the passthrough ioctls and notifications
 * ({@link jover.fuse.transport.KernelControl}); a {@link jover.fuse.transport.Transport} hands
 * each worker {@link jover.fuse.transport.Exchange}s: a request's bytes and the room for its
 * reply. {@link jover.fuse.transport.StreamTransport} is the read(2)/write(2) one over a
 * {@link jover.fuse.transport.FuseChannel}; FUSE over io_uring will be another, with the same
 * exchanges. Nothing here decodes a request beyond knowing where its bytes are.
 */
package jover.fuse.transport;
