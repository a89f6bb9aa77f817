package jover.writes;

import static jover.writes.Op.NONE;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Stat;
import jover.sys.Sys;
import jover.testing.FsCalls;
import jover.writes.Op.Create;
import jover.writes.Op.Exchange;
import jover.writes.Op.Link;
import jover.writes.Op.Move;
import jover.writes.Op.Remove;

/**
 * The operations of the write-path scenarios, each a direct system call on a path of the mount
 * (relative paths, "" is the root), and the way an outcome is written: "ok", "ok DETAIL" (for
 * probes and calls that return something) or the errno name.
 */
final class Ops {
    private Ops() {
    }

    static String path(String root, String rel) {
        return rel.isEmpty() ? root : root + "/" + rel;
    }

    /** The failing call of the last outcome that was an errno, for the op log ("" after a success). */
    static final ThreadLocal<String> LAST_FAILED_CALL = ThreadLocal.withInitial(() -> "");

    /** Runs an action and writes its outcome. */
    static String outcome(Op.Action action, String root) {
        LAST_FAILED_CALL.set("");
        try {
            String detail = action.run(root);
            return detail == null || detail.isEmpty() ? "ok" : "ok " + detail;
        } catch (ErrnoException e) {
            LAST_FAILED_CALL.set(e.getMessage().replace(root, "MNT"));
            return FsCalls.errnoName(e.errno());
        } catch (FileSystemException e) {
            return "exception " + e.getClass().getSimpleName() + ": " + e.getReason();
        } catch (Exception e) {
            return "exception " + e;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- creating ----

    /** open(O_CREAT | O_EXCL | O_WRONLY, mode), writes {@code text}. */
    static Op create(String p, int mode, String text) {
        return Op.of("create " + p + " mode " + oct(mode), root -> {
            int fd = FsCalls.open(path(root, p), Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL, mode);
            try {
                if (!text.isEmpty()) {
                    FsCalls.write(fd, bytes(text));
                }
            } finally {
                FsCalls.close(fd);
            }
            return null;
        }, new Create(List.of(p)));
    }

    /** open(flags | O_CREAT, 0644) without writing (O_EXCL not set: may open an existing file). */
    static Op openCreate(String p, int flags) {
        return Op.of("open " + p + " O_CREAT flags " + oct(flags), root -> {
            FsCalls.close(FsCalls.open(path(root, p), flags | Linux.O_CREAT, 0644));
            return null;
        }, NONE);
    }

    static Op mkdir(String p, int mode) {
        return Op.of("mkdir " + p + " mode " + oct(mode), root -> {
            FsCalls.mkdir(path(root, p), mode);
            return null;
        }, new Create(List.of(p)));
    }

    /** mknod; {@code type} is one of Linux.S_IFIFO, S_IFCHR, S_IFBLK, S_IFSOCK, S_IFREG. */
    static Op mknod(String p, int type, int mode, int major, int minor) {
        return Op.of("mknod " + p + " " + typeName(type) + " " + major + "/" + minor + " mode " + oct(mode),
                root -> {
                    FsCalls.mknod(path(root, p), type | mode, major, minor);
                    return null;
                }, new Create(List.of(p)));
    }

    /** A UNIX socket bound at {@code p} (the socket file stays after close). */
    static Op bindSocket(String p) {
        return Op.of("bind a UNIX socket at " + p, root -> {
            try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.bind(UnixDomainSocketAddress.of(Path.of(path(root, p))));
            } catch (java.net.BindException e) {
                throw new ErrnoException(errnoFromText(e.getMessage()), "bind", p);
            }
            return null;
        }, new Create(List.of(p)));
    }

    static Op symlink(String target, String p) {
        return Op.of("symlink " + p + " -> " + target, root -> {
            FsCalls.symlink(target, path(root, p));
            return null;
        }, new Create(List.of(p)));
    }

    static Op link(String existing, String p) {
        return Op.of("link " + existing + " to " + p, root -> {
            FsCalls.link(path(root, existing), path(root, p));
            return null;
        }, new Link(existing, p));
    }

    /** O_TMPFILE | O_RDWR in {@code dir}, writes {@code text}, then linkat(AT_EMPTY_PATH) to {@code p} (if not null). */
    static Op tmpfile(String dir, int mode, String text, String p) {
        String label = "O_TMPFILE in " + (dir.isEmpty() ? "/" : dir) + " mode " + oct(mode)
                + (p == null ? ", never linked" : ", linkat to " + p);
        return Op.of(label, root -> {
            int fd = FsCalls.open(path(root, dir), FsCalls.O_TMPFILE | Linux.O_RDWR, mode);
            try {
                FsCalls.write(fd, bytes(text));
                if (p != null) {
                    FsCalls.linkFd(fd, path(root, p));
                }
            } finally {
                FsCalls.close(fd);
            }
            return null;
        }, p == null ? NONE : new Create(List.of(p)));
    }

    /** O_TMPFILE | O_EXCL: linkat must then fail with ENOENT. */
    static Op tmpfileExclLink(String dir, String p) {
        return Op.of("O_TMPFILE|O_EXCL in " + dir + ", linkat to " + p, root -> {
            int fd = FsCalls.open(path(root, dir), FsCalls.O_TMPFILE | Linux.O_RDWR | Linux.O_EXCL, 0600);
            try {
                FsCalls.linkFd(fd, path(root, p));
            } finally {
                FsCalls.close(fd);
            }
            return null;
        }, new Create(List.of(p)));
    }

    // ---- removing and renaming ----

    static Op unlink(String p) {
        return Op.of("unlink " + p, root -> {
            FsCalls.unlink(path(root, p));
            return null;
        }, new Remove(p));
    }

    static Op rmdir(String p) {
        return Op.of("rmdir " + p, root -> {
            FsCalls.rmdir(path(root, p));
            return null;
        }, new Remove(p));
    }

    static Op rename(String from, String to) {
        return rename2(from, to, 0);
    }

    static Op rename2(String from, String to, int flags) {
        String f = flags == 0 ? "rename" : (flags & FsCalls.RENAME_EXCHANGE) != 0 ? "rename2 EXCHANGE"
                : (flags & FsCalls.RENAME_NOREPLACE) != 0 ? "rename2 NOREPLACE" : "rename2 " + flags;
        Op.Effect effect = (flags & FsCalls.RENAME_EXCHANGE) != 0 ? new Exchange(from, to) : new Move(from, to);
        return Op.of(f + " " + from + " -> " + to, root -> {
            FsCalls.rename2(path(root, from), path(root, to), flags);
            return null;
        }, effect);
    }

    // ---- data ----

    /** open(O_WRONLY) and pwrite at {@code offset}. */
    static Op write(String p, long offset, String text) {
        return Op.of("write '" + esc(text) + "' at " + offset + " of " + p, root -> {
            int fd = FsCalls.open(path(root, p), Linux.O_WRONLY, 0);
            try {
                return "wrote " + FsCalls.pwrite(fd, bytes(text), offset);
            } finally {
                FsCalls.close(fd);
            }
        }, NONE);
    }

    static Op append(String p, String text) {
        return Op.of("append '" + esc(text) + "' to " + p, root -> {
            int fd = FsCalls.open(path(root, p), Linux.O_WRONLY | Linux.O_APPEND, 0);
            try {
                return "wrote " + FsCalls.write(fd, bytes(text));
            } finally {
                FsCalls.close(fd);
            }
        }, NONE);
    }

    /** open(O_WRONLY | O_TRUNC) and write {@code text}. */
    static Op truncOpen(String p, String text) {
        return Op.of("open O_TRUNC and write '" + esc(text) + "' to " + p, root -> {
            int fd = FsCalls.open(path(root, p), Linux.O_WRONLY | Linux.O_TRUNC, 0);
            try {
                FsCalls.write(fd, bytes(text));
            } finally {
                FsCalls.close(fd);
            }
            return null;
        }, NONE);
    }

    /** open with these flags and close at once (no data change). */
    static Op open(String p, int flags) {
        return Op.of("open " + p + " flags " + oct(flags) + " and close", root -> {
            FsCalls.close(FsCalls.open(path(root, p), flags, 0));
            return null;
        }, NONE);
    }

    /** Reads the whole (small) file. */
    static Op read(String p) {
        return Op.of("read " + p, root -> {
            int fd = FsCalls.open(path(root, p), Linux.O_RDONLY, 0);
            try {
                return "'" + esc(text(FsCalls.pread(fd, 4096, 0))) + "'";
            } finally {
                FsCalls.close(fd);
            }
        }, NONE);
    }

    /**
     * Opens {@code p} read-only, then (through another descriptor) writes {@code text} at 0,
     * which copies a lower file up, then reads through the first descriptor.
     */
    static Op readThroughFdOpenedBeforeCopyUp(String p, String text) {
        return Op.of("read " + p + " through an fd opened before a write (copy-up) through another", root -> {
            int ro = FsCalls.open(path(root, p), Linux.O_RDONLY, 0);
            try {
                int wr = FsCalls.open(path(root, p), Linux.O_WRONLY, 0);
                try {
                    FsCalls.pwrite(wr, bytes(text), 0);
                } finally {
                    FsCalls.close(wr);
                }
                Stat st = Sys.stat(new jover.sys.Fd(ro)); // not closed here: the finally below does
                return "'" + esc(text(FsCalls.pread(ro, 4096, 0))) + "' fstat size " + st.size() + " mode "
                        + oct(st.mode() & 07777);
            } finally {
                FsCalls.close(ro);
            }
        }, NONE);
    }

    /** Opens {@code p} O_RDWR, unlinks it, then writes, reads and fstats through the descriptor. */
    static Op writeAfterUnlink(String p, String text) {
        return Op.of("open " + p + " O_RDWR, unlink it, write '" + esc(text) + "' and read through the fd", root -> {
            int fd = FsCalls.open(path(root, p), Linux.O_RDWR, 0);
            try {
                FsCalls.unlink(path(root, p));
                FsCalls.pwrite(fd, bytes(text), 0);
                Stat st = Sys.stat(new jover.sys.Fd(fd)); // closed by the finally below
                return "'" + esc(text(FsCalls.pread(fd, 4096, 0))) + "' nlink " + st.nlink() + " size " + st.size();
            } finally {
                FsCalls.close(fd);
            }
        }, new Remove(p));
    }

    /** Opens {@code to} read-only, renames {@code from} over it, reads through the descriptor. */
    static Op renameOverOpenFile(String from, String to) {
        return Op.of("open " + to + " O_RDONLY, rename " + from + " over it, read through the fd", root -> {
            int fd = FsCalls.open(path(root, to), Linux.O_RDONLY, 0);
            try {
                FsCalls.rename2(path(root, from), path(root, to), 0);
                Stat st = Sys.stat(new jover.sys.Fd(fd)); // closed by the finally below
                return "'" + esc(text(FsCalls.pread(fd, 4096, 0))) + "' nlink " + st.nlink();
            } finally {
                FsCalls.close(fd);
            }
        }, new Move(from, to));
    }

    static Op truncate(String p, long length) {
        return Op.of("truncate " + p + " to " + length, root -> {
            FsCalls.truncate(path(root, p), length);
            return null;
        }, NONE);
    }

    static Op ftruncate(String p, long length) {
        return Op.of("ftruncate " + p + " to " + length, root -> {
            int fd = FsCalls.open(path(root, p), Linux.O_WRONLY, 0);
            try {
                FsCalls.ftruncate(fd, length);
            } finally {
                FsCalls.close(fd);
            }
            return null;
        }, NONE);
    }

    static Op fallocate(String p, int mode, long offset, long len) {
        return Op.of("fallocate " + p + " mode " + mode + " at " + offset + " len " + len, root -> {
            int fd = FsCalls.open(path(root, p), Linux.O_RDWR, 0);
            try {
                FsCalls.fallocate(fd, mode, offset, len);
            } finally {
                FsCalls.close(fd);
            }
            return null;
        }, NONE);
    }

    /** One lseek on a fresh read-only descriptor; the offset it returned. */
    static Op seek(String p, long offset, int whence) {
        return Op.of("lseek " + p + " " + offset + " " + whenceName(whence), root -> {
            int fd = FsCalls.open(path(root, p), Linux.O_RDONLY, 0);
            try {
                return Long.toString(FsCalls.lseek(fd, offset, whence));
            } finally {
                FsCalls.close(fd);
            }
        }, NONE);
    }

    /** The data ranges SEEK_DATA/SEEK_HOLE report, as "[start,end) ...". */
    static Op dataMap(String p) {
        return Op.of("SEEK_DATA/SEEK_HOLE map of " + p, root -> {
            int fd = FsCalls.open(path(root, p), Linux.O_RDONLY, 0);
            try {
                long size = FsCalls.lseek(fd, 0, FsCalls.SEEK_END);
                StringBuilder b = new StringBuilder("size " + size + " data");
                long pos = 0;
                while (pos < size) {
                    long data;
                    try {
                        data = FsCalls.lseek(fd, pos, FsCalls.SEEK_DATA);
                    } catch (ErrnoException e) {
                        if (e.errno() == jover.sys.Errno.ENXIO) {
                            break;
                        }
                        throw e;
                    }
                    long hole = FsCalls.lseek(fd, data, FsCalls.SEEK_HOLE);
                    b.append(" [").append(data).append(',').append(hole).append(')');
                    pos = hole;
                }
                return b.toString();
            } finally {
                FsCalls.close(fd);
            }
        }, NONE);
    }

    /**
     * Which 1 MiB chunks of the file hold data by SEEK_DATA/SEEK_HOLE: kernel overlayfs copies up
     * in 1 MiB chunks and skips only holes between them (a hole inside a chunk with data is filled),
     * so after a copy-up only this coarse map can be compared; a hole of a whole chunk must stay.
     */
    static Op dataChunks(String p) {
        return Op.of("1 MiB chunks with data (SEEK_DATA/SEEK_HOLE) of " + p, root -> {
            int fd = FsCalls.open(path(root, p), Linux.O_RDONLY, 0);
            try {
                long size = FsCalls.lseek(fd, 0, FsCalls.SEEK_END);
                java.util.TreeSet<Long> chunks = new java.util.TreeSet<>();
                long pos = 0;
                while (pos < size) {
                    long data;
                    try {
                        data = FsCalls.lseek(fd, pos, FsCalls.SEEK_DATA);
                    } catch (ErrnoException e) {
                        if (e.errno() == jover.sys.Errno.ENXIO) {
                            break;
                        }
                        throw e;
                    }
                    long hole = FsCalls.lseek(fd, data, FsCalls.SEEK_HOLE);
                    for (long c = data >> 20; c <= (hole - 1) >> 20; c++) {
                        chunks.add(c);
                    }
                    pos = hole;
                }
                return "size " + size + " chunks " + chunks;
            } finally {
                FsCalls.close(fd);
            }
        }, NONE);
    }

    static Op copyFileRange(String from, long offIn, String to, long offOut, long len, boolean createTarget) {
        return Op.of("copy_file_range " + from + "@" + offIn + " -> " + to + "@" + offOut + " len " + len
                + (createTarget ? " (target created)" : ""), root -> {
                    int in = FsCalls.open(path(root, from), Linux.O_RDONLY, 0);
                    try {
                        int out = FsCalls.open(path(root, to),
                                Linux.O_WRONLY | (createTarget ? Linux.O_CREAT | Linux.O_EXCL : 0), 0644);
                        try {
                            long total = 0;
                            while (total < len) {
                                long n = FsCalls.copyFileRange(in, offIn + total, out, offOut + total, len - total);
                                if (n == 0) {
                                    break;
                                }
                                total += n;
                            }
                            return "copied " + total;
                        } finally {
                            FsCalls.close(out);
                        }
                    } finally {
                        FsCalls.close(in);
                    }
                }, createTarget ? new Create(List.of(to)) : NONE);
    }

    /** open, write (if text is not null), fsync or fdatasync, close. */
    static Op fsync(String p, String text, boolean dataOnly) {
        return Op.of((dataOnly ? "fdatasync " : "fsync ") + p + (text == null ? "" : " after writing '"
                + esc(text) + "'"), root -> {
                    int fd = FsCalls.open(path(root, p), text == null ? Linux.O_RDONLY : Linux.O_WRONLY | Linux.O_APPEND, 0);
                    try {
                        if (text != null) {
                            FsCalls.write(fd, bytes(text));
                        }
                        if (dataOnly) {
                            FsCalls.fdatasync(fd);
                        } else {
                            FsCalls.fsync(fd);
                        }
                    } finally {
                        FsCalls.close(fd);
                    }
                    return null;
                }, NONE);
    }

    /** fsync on a directory descriptor (FUSE FSYNCDIR). */
    static Op fsyncDir(String p) {
        return Op.of("fsync directory " + (p.isEmpty() ? "/" : p), root -> {
            int fd = FsCalls.open(path(root, p), Linux.O_RDONLY | Linux.O_DIRECTORY, 0);
            try {
                FsCalls.fsync(fd);
            } finally {
                FsCalls.close(fd);
            }
            return null;
        }, NONE);
    }

    static Op syncfs(String p) {
        return Op.of("syncfs through " + (p.isEmpty() ? "/" : p), root -> {
            int fd = FsCalls.open(path(root, p), Linux.O_RDONLY, 0);
            try {
                FsCalls.syncfs(fd);
            } finally {
                FsCalls.close(fd);
            }
            return null;
        }, NONE);
    }

    // ---- attributes ----

    static Op chmod(String p, int mode) {
        return Op.of("chmod " + oct(mode) + " " + p, root -> {
            FsCalls.chmod(path(root, p), mode);
            return null;
        }, NONE);
    }

    /** fchmod through a read-only descriptor. */
    static Op fchmod(String p, int mode) {
        return Op.of("fchmod " + oct(mode) + " " + p + " (fd opened O_RDONLY)", root -> {
            int fd = FsCalls.open(path(root, p), Linux.O_RDONLY, 0);
            try {
                FsCalls.fchmod(fd, mode);
            } finally {
                FsCalls.close(fd);
            }
            return null;
        }, NONE);
    }

    static Op chown(String p, int uid, int gid) {
        return Op.of("lchown " + uid + ":" + gid + " " + p, root -> {
            FsCalls.lchown(path(root, p), uid, gid);
            return null;
        }, NONE);
    }

    /** Sets atime and mtime to fixed seconds (nanoseconds 0). */
    static Op utimes(String p, long atime, long mtime) {
        return Op.of("utimensat " + p + " atime " + atime + " mtime " + mtime, root -> {
            FsCalls.utimens(path(root, p), atime, 0, mtime, 0);
            return null;
        }, NONE);
    }

    /** utimensat with UTIME_NOW for mtime and UTIME_OMIT for atime. */
    static Op utimesMtimeNow(String p) {
        return Op.of("utimensat " + p + " mtime UTIME_NOW, atime UTIME_OMIT", root -> {
            FsCalls.utimens(path(root, p), 0, FsCalls.UTIME_OMIT, 0, FsCalls.UTIME_NOW);
            return null;
        }, NONE);
    }

    /** utimensat(NULL): both now, as touch does (allowed to a non-owner with write permission). */
    static Op touchNow(String p) {
        return Op.of("utimensat " + p + " NULL (both now)", root -> {
            FsCalls.utimensNow(path(root, p));
            return null;
        }, NONE);
    }

    static Op setxattr(String p, String name, String value, int flags) {
        return Op.of("setxattr " + p + " " + name + "=" + value + (flags == 0 ? "" : flags == Linux.XATTR_CREATE
                ? " XATTR_CREATE" : " XATTR_REPLACE"), root -> {
                    FsCalls.lsetxattr(path(root, p), name, bytes(value), flags);
                    return null;
                }, NONE);
    }

    static Op removexattr(String p, String name) {
        return Op.of("removexattr " + p + " " + name, root -> {
            FsCalls.lremovexattr(path(root, p), name);
            return null;
        }, NONE);
    }

    static Op getxattr(String p, String name) {
        return Op.of("getxattr " + p + " " + name, root -> "'" + esc(text(FsCalls.lgetxattr(path(root, p), name)))
                + "'", NONE);
    }

    /** listxattr, sorted. */
    static Op listxattr(String p) {
        return Op.of("listxattr " + p, root -> {
            List<String> names = new ArrayList<>(FsCalls.llistxattr(path(root, p)));
            Collections.sort(names);
            return names.toString();
        }, NONE);
    }

    /** lstat: type, mode, owner, size, nlink. */
    static Op stat(String p) {
        return Op.of("lstat " + p, root -> {
            Stat st = Sys.lstat(path(root, p));
            return describe(st);
        }, NONE);
    }

    static Op readlink(String p) {
        return Op.of("readlink " + p, root -> FsCalls.readlink(path(root, p)), NONE);
    }

    static Op access(String p, int mode) {
        return Op.of("access " + p + " " + mode, root -> {
            FsCalls.access(path(root, p), mode);
            return null;
        }, NONE);
    }

    static String describe(Stat st) {
        String t = switch (st.mode() & Linux.S_IFMT) {
            case Linux.S_IFREG -> "f";
            case Linux.S_IFDIR -> "d";
            case Linux.S_IFLNK -> "l";
            case Linux.S_IFIFO -> "p";
            case Linux.S_IFCHR -> "c " + st.rdevMajor() + "/" + st.rdevMinor();
            case Linux.S_IFBLK -> "b " + st.rdevMajor() + "/" + st.rdevMinor();
            case Linux.S_IFSOCK -> "s";
            default -> "?";
        };
        return t + " " + oct(st.mode() & 07777) + " " + st.uid() + ":" + st.gid()
                + (Linux.isDir(st.mode()) ? "" : " size " + st.size() + " nlink " + st.nlink());
    }

    // ---- helpers ----

    static String oct(int mode) {
        return String.format("%04o", mode);
    }

    static String typeName(int type) {
        return switch (type) {
            case Linux.S_IFIFO -> "fifo";
            case Linux.S_IFCHR -> "char";
            case Linux.S_IFBLK -> "block";
            case Linux.S_IFSOCK -> "socket";
            case Linux.S_IFREG -> "regular";
            default -> "type " + Integer.toOctalString(type);
        };
    }

    static String whenceName(int whence) {
        return switch (whence) {
            case FsCalls.SEEK_SET -> "SEEK_SET";
            case FsCalls.SEEK_CUR -> "SEEK_CUR";
            case FsCalls.SEEK_END -> "SEEK_END";
            case FsCalls.SEEK_DATA -> "SEEK_DATA";
            case FsCalls.SEEK_HOLE -> "SEEK_HOLE";
            default -> "whence " + whence;
        };
    }

    static String esc(String s) {
        return s.replace("\n", "\\n");
    }

    /** The errno whose strerror text ends {@code message} (Java's socket errors carry only the text). */
    static int errnoFromText(String message) {
        if (message != null) {
            for (int e = 1; e < 134; e++) {
                String t = jover.sys.Errno.describe(e);
                String text = t.substring(t.indexOf('(') + 1, t.length() - 1);
                if (message.contains(text)) {
                    return e;
                }
            }
        }
        return jover.sys.Errno.EIO;
    }
}
