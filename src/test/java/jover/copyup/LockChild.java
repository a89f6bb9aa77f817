package jover.copyup;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A child process for {@link FileLocksTest}: POSIX record locks (fcntl F_SETLK/F_SETLKW, which
 * FileChannel uses) taken by a process other than the test's JVM.
 *
 * <pre>
 * LockChild hold PATH START LEN shared|exclusive   lock (waiting), print "locked", wait for a
 *                                                 line on stdin, unlock, print "released"
 * LockChild try  PATH START LEN shared|exclusive   try once; print "got" (then unlock) or "busy"
 * </pre>
 *
 * A shared lock is taken on a read-only descriptor (no copy-up), an exclusive one on a
 * read-write descriptor (which copies the file up).
 */
public final class LockChild {
    private LockChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path path = Path.of(args[1]);
        long start = Long.parseLong(args[2]);
        long len = Long.parseLong(args[3]);
        boolean shared = args[4].equals("shared");
        try (FileChannel ch = shared ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (mode.equals("hold")) {
                FileLock lock = ch.lock(start, len, shared);
                System.out.println("locked");
                System.out.flush();
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                lock.release();
                System.out.println("released");
            } else {
                FileLock lock = ch.tryLock(start, len, shared);
                System.out.println(lock == null ? "busy" : "got");
                if (lock != null) {
                    lock.release();
                }
            }
            System.out.flush();
        }
    }
}
