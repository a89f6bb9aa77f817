package jover.sys;

import static jover.sys.Native.C;

import java.nio.ByteBuffer;

/** System calls about this process: its ids, umask, session, stdio and descriptor limit. */
public final class ProcessCalls {
    private ProcessCalls() {
    }

    /** Writes a line to an inherited descriptor (the launcher's status pipe) and closes it. */
    public static void writeLineAndClose(int fd, String line) throws ErrnoException {
        ByteBuffer b = ByteBuffer.allocateDirect(line.length() + 1);
        b.put(0, Raw.bytes(line)).put(line.length(), (byte) '\n'); // absolute puts: jnr passes the address at the buffer's position
        try (Fd f = new Fd(fd)) {
            Sys.write(f, b, b.capacity());
        }
    }

    public static int geteuid() {
        return C.geteuid();
    }

    public static int getpid() {
        return C.getpid();
    }

    public static int umask(int mask) {
        return C.umask(mask);
    }

    public static void setsid() throws ErrnoException {
        Sys.check(C.setsid(), "setsid", "");
    }

    public static void chdir(String path) throws ErrnoException {
        Sys.check(C.chdir(Raw.cString(path)), "chdir", path);
    }

    /** Points fds 0, 1 and 2 at /dev/null: a detached daemon must not hold its caller's pipes. */
    public static void detachStdio() throws ErrnoException {
        try (Fd devNull = Sys.open("/dev/null", Linux.O_RDWR)) {
            for (int i = 0; i <= 2; i++) {
                Sys.check(C.dup2(devNull.get(), i), "dup2", "/dev/null");
            }
        }
    }

    /** Raises the soft limit of open files to the hard limit; returns the new soft limit. */
    public static long raiseOpenFileLimit() throws ErrnoException {
        long[] lim = new long[2];
        Sys.check(C.getrlimit(Linux.RLIMIT_NOFILE, lim), "getrlimit", "NOFILE");
        lim[0] = lim[1];
        Sys.check(C.setrlimit(Linux.RLIMIT_NOFILE, lim), "setrlimit", "NOFILE");
        return lim[0];
    }
}
