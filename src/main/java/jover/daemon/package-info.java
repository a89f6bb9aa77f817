/**
 * The serving process: what a process that serves mounts owns (its session and stdio, the
 * descriptor limit, umask, signals, the launcher's status pipe), around the
 * {@link jover.session.MountSession}s it runs. Today one session per process; the many-mounts
 * issue puts several here.
 */
package jover.daemon;
