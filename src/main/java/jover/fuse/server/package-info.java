/**
 * The FUSE server: INIT negotiation ({@link jover.fuse.server.InitPolicy}), worker threads
 * ({@link jover.fuse.server.Worker}: receive, decode, dispatch, reply), the dispatch table
 * indexed by opcode ({@link jover.fuse.server.Handlers}), INTERRUPT and FORGET handling,
 * notifications and passthrough backing ids ({@link jover.fuse.server.Kernel}), and mounting
 * ({@link jover.fuse.server.FuseMount}).
 *
 * <p>The seam above: {@link jover.fuse.server.FuseFilesystem}, one method per operation, answered
 * in this package's own types ({@link jover.fuse.server.EntryReply},
 * {@link jover.fuse.server.Attributes}, {@link jover.fuse.server.OpenReply},
 * {@link jover.fuse.server.SetAttr}); {@link jover.fuse.server.Replies} and
 * {@link jover.fuse.server.Call} map them to wire structs through the codec. Nothing above this
 * package sees an opcode or a wire struct. The seam below: a {@link jover.fuse.transport.Transport}
 * per worker hands in requests and takes replies; the server never assumes read(2)/write(2) of
 * one buffer per request. Nothing in this package knows about layers.
 *
 * <p>Threads: one per worker, each with its own transport (over /dev/fuse, its own cloned
 * descriptor) and its own {@link jover.fuse.server.Call}; a reply goes back on the exchange its
 * request came in. Notifications are written whole under the server's notification-buffer lock,
 * which nothing else is taken under.
 */
package jover.fuse.server;
