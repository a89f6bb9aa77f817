package jover.copyup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jover.sys.DirEntry;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.FileHandle;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.sys.Stat;
import jover.sys.Sys;
import jover.testing.HostCalls;
import jover.testing.JoverMount;

/** Small host-side helpers of the copy-up tests: content, hashes, xattrs, file handles. */
final class CopyUpTools {
    private CopyUpTools() {
    }

    /**
     * The daemon's copy-up counter. Waits first until the daemon has a SIGUSR1 handler (bit 10 of
     * SigCgt in /proc/PID/status): the daemon installs it only after the mount is live, and a
     * SIGUSR1 before that terminates it (the signal's default action).
     */
    static long copyups(JoverMount m) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Path status = Path.of("/proc", Long.toString(m.pid()), "status");
        while (true) {
            String caught = null;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("SigCgt:")) {
                    caught = line.substring(7).trim();
                }
            }
            if (caught != null && (Long.parseUnsignedLong(caught, 16) & (1L << (HostCalls.SIGUSR1 - 1))) != 0) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the jover daemon installed no SIGUSR1 handler within 15 s (SigCgt " + caught
                        + ")\n" + m.output());
            }
            Thread.sleep(20);
        }
        return m.stats().requireCopyups();
    }

    /** {@code len} bytes determined by {@code seed}. */
    static byte[] pseudoRandom(long seed, int len) {
        byte[] b = new byte[len];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Feeds the first {@code limit} bytes of {@code file} (all when negative) to {@code md}; the bytes fed. */
    static long digest(MessageDigest md, Path file, long limit) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long done = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (limit < 0 || done < limit) {
                buf.clear();
                if (limit >= 0 && limit - done < buf.capacity()) {
                    buf.limit((int) (limit - done));
                }
                int n = ch.read(buf, done);
                if (n < 0) {
                    break;
                }
                md.update(buf.array(), 0, n);
                done += n;
            }
        }
        return done;
    }

    /** SHA-256 of the whole file, hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        digest(md, file, -1);
        return hex(md.digest());
    }

    /** Reads {@code len} bytes at {@code offset} (fewer at end of file). */
    static byte[] readAt(Path file, long offset, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                int n = ch.read(buf, offset + buf.position());
                if (n < 0) {
                    break;
                }
            }
        }
        return java.util.Arrays.copyOf(buf.array(), buf.position());
    }

    static Stat lstat(Path p) throws ErrnoException {
        return Sys.lstat(Raw.of(p));
    }

    static boolean exists(Path p) {
        try {
            Sys.lstat(Raw.of(p));
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /** Whether the name is overlay metadata (kernel or userxattr form). */
    static boolean overlayXattr(String name) {
        return name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.");
    }

    /** The xattrs that are not overlay metadata, name to hex value (no symlink followed). */
    static SortedMap<String, String> plainXattrs(Path p) throws ErrnoException {
        SortedMap<String, String> out = new TreeMap<>();
        String raw = Raw.of(p);
        for (String name : Sys.llistxattr(raw)) {
            if (!overlayXattr(name)) {
                out.put(name, hex(Sys.lgetxattr(raw, name)));
            }
        }
        return out;
    }

    /** An xattr's value, or null when absent. */
    static byte[] xattrOrNull(Path p, String name) throws ErrnoException {
        try {
            return Sys.lgetxattr(Raw.of(p), name);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODATA) {
                return null;
            }
            throw e;
        }
    }

    /** name_to_handle_at of a host file. */
    static FileHandle handleOf(Path p) throws ErrnoException {
        Path parent = p.getParent();
        try (Fd dir = Sys.open(Raw.of(parent), Linux.O_RDONLY | Linux.O_DIRECTORY)) {
            return Sys.nameToHandleAt(dir, Raw.of(p.getFileName()));
        }
    }

    /** Names in a host directory, sorted, without . and .. (empty when it does not exist). */
    static List<String> names(Path dir) throws ErrnoException {
        List<String> out = new ArrayList<>();
        try {
            for (DirEntry e : Sys.listDir(Raw.of(dir))) {
                if (!e.isDotOrDotDot()) {
                    out.add(e.name());
                }
            }
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
        Collections.sort(out);
        return out;
    }

    /**
     * Problems with an origin value against struct ovl_fb as the kernel writes it: version 0,
     * magic 0xfb, length byte equal to the value's length, flags 0, the handle type, a 16-byte
     * zero uuid (all layers share one filesystem here), then exactly the lower file's handle.
     * Empty when it is right.
     */
    static List<String> originProblems(byte[] origin, FileHandle lower) {
        List<String> out = new ArrayList<>();
        if (origin == null) {
            out.add("no origin xattr");
            return out;
        }
        if (origin.length < 21) {
            out.add("origin shorter than its 21-byte header: " + hex(origin));
            return out;
        }
        if (origin[0] != 0) {
            out.add("version byte " + (origin[0] & 0xff) + ", expected 0");
        }
        if ((origin[1] & 0xff) != 0xfb) {
            out.add("magic byte 0x" + Integer.toHexString(origin[1] & 0xff) + ", expected 0xfb");
        }
        if ((origin[2] & 0xff) != origin.length) {
            out.add("length byte " + (origin[2] & 0xff) + ", value is " + origin.length + " bytes");
        }
        if (origin[3] != 0) {
            out.add("flags byte " + (origin[3] & 0xff) + ", expected 0");
        }
        if ((origin[4] & 0xff) != lower.type()) {
            out.add("handle type " + (origin[4] & 0xff) + ", the lower file's is " + lower.type());
        }
        for (int i = 5; i < 21; i++) {
            if (origin[i] != 0) {
                out.add("uuid not zero: " + hex(java.util.Arrays.copyOfRange(origin, 5, 21)));
                break;
            }
        }
        byte[] handle = java.util.Arrays.copyOfRange(origin, 21, origin.length);
        if (!java.util.Arrays.equals(handle, lower.bytes())) {
            out.add("handle " + hex(handle) + ", the lower file's is " + hex(lower.bytes()));
        }
        return out;
    }
}
