/**
 * The only package that calls native code (jnr-ffi). Everything above it sees typed Java calls.
 *
 * <p>Paths and names cross this boundary as "raw strings": Java strings holding one char per
 * byte (ISO-8859-1), so any Linux name, UTF-8 or not, round-trips exactly. {@link jover.sys.Raw}
 * converts. Every failed call throws {@link jover.sys.ErrnoException} carrying the errno, the call
 * and what it was applied to. File descriptors are {@link jover.sys.Fd}s, which close exactly once.
 *
 * <p>{@link jover.sys.Sys} wraps the calls on files, directories, xattrs, mounts and
 * descriptors; {@link jover.sys.ProcessCalls} the calls that change or read the whole process
 * (ids, umask, session, stdio, limits), which only the daemon makes.
 *
 * <p>Facts of other processes that a FUSE request does not carry (the caller's capabilities) are
 * read from /proc here too ({@link jover.sys.Capabilities}).
 *
 * <p>Layer access rule: callers open directories inside layers with {@link jover.sys.Sys#openBeneath}
 * (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) and touch final components with no-follow calls.
 */
package jover.sys;
