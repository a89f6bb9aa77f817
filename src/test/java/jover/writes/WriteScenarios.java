package jover.writes;

import static jover.sys.Linux.O_APPEND;
import static jover.sys.Linux.O_NONBLOCK;
import static jover.sys.Linux.O_RDONLY;
import static jover.sys.Linux.O_RDWR;
import static jover.sys.Linux.O_WRONLY;
import static jover.sys.Linux.S_IFBLK;
import static jover.sys.Linux.S_IFCHR;
import static jover.sys.Linux.S_IFIFO;
import static jover.sys.Linux.S_IFREG;
import static jover.sys.Linux.S_IFSOCK;
import static jover.testing.FsCalls.FALLOC_FL_KEEP_SIZE;
import static jover.testing.FsCalls.FALLOC_FL_PUNCH_HOLE;
import static jover.testing.FsCalls.FALLOC_FL_ZERO_RANGE;
import static jover.testing.FsCalls.RENAME_EXCHANGE;
import static jover.testing.FsCalls.RENAME_NOREPLACE;
import static jover.testing.FsCalls.SEEK_DATA;
import static jover.testing.FsCalls.SEEK_HOLE;
import static jover.writes.Ops.access;
import static jover.writes.Ops.append;
import static jover.writes.Ops.bindSocket;
import static jover.writes.Ops.chmod;
import static jover.writes.Ops.chown;
import static jover.writes.Ops.copyFileRange;
import static jover.writes.Ops.create;
import static jover.writes.Ops.dataMap;
import static jover.writes.Ops.fallocate;
import static jover.writes.Ops.fchmod;
import static jover.writes.Ops.fsync;
import static jover.writes.Ops.fsyncDir;
import static jover.writes.Ops.ftruncate;
import static jover.writes.Ops.getxattr;
import static jover.writes.Ops.link;
import static jover.writes.Ops.listxattr;
import static jover.writes.Ops.mkdir;
import static jover.writes.Ops.mknod;
import static jover.writes.Ops.open;
import static jover.writes.Ops.openCreate;
import static jover.writes.Ops.read;
import static jover.writes.Ops.readThroughFdOpenedBeforeCopyUp;
import static jover.writes.Ops.removexattr;
import static jover.writes.Ops.rename;
import static jover.writes.Ops.rename2;
import static jover.writes.Ops.rmdir;
import static jover.writes.Ops.seek;
import static jover.writes.Ops.setxattr;
import static jover.writes.Ops.stat;
import static jover.writes.Ops.symlink;
import static jover.writes.Ops.syncfs;
import static jover.writes.Ops.tmpfile;
import static jover.writes.Ops.tmpfileExclLink;
import static jover.writes.Ops.touchNow;
import static jover.writes.Ops.truncOpen;
import static jover.writes.Ops.truncate;
import static jover.writes.Ops.unlink;
import static jover.writes.Ops.utimes;
import static jover.writes.Ops.utimesMtimeNow;
import static jover.writes.Ops.write;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jover.sys.Linux;
import jover.testing.TreeSpec;
import jover.testing.TreeSpec.Content;
import jover.testing.TreeSpec.Extent;
import jover.testing.TreeSpec.Meta;

/**
 * The catalogue of write-path scenarios. Each op carries the outcome kernel overlayfs gives on
 * this machine (checked by {@link KernelSideTest}); jover must give the kernel's outcome
 * ({@link JoverVsKernelTest}). Select some with {@code -Djover.writes.only=name,name} (substrings).
 */
public final class WriteScenarios {
    private WriteScenarios() {
    }

    static final String OK = "ok";
    /** An unprivileged caller: uid/gid 1000, no supplementary groups, umask 027. */
    static final Op.Cred USER = new Op.Cred(1000, 1000, 027);

    static final long T1 = 1_500_000_000L;
    static final long T2 = 1_400_000_000L;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Meta meta(int mode, int uid, int gid, long mtime) {
        return Meta.of(mode).withOwner(uid, gid).withMtime(mtime, 123_456_789);
    }

    private static Content sparse(long size, long... dataOffsets) {
        List<Extent> ext = new ArrayList<>();
        for (long off : dataOffsets) {
            byte[] d = new byte[4096];
            Arrays.fill(d, (byte) ('a' + ext.size()));
            ext.add(new Extent(off, d));
        }
        return new Content(size, ext);
    }

    /** The scenarios selected by -Djover.writes.only (all without it). */
    public static List<Scenario> selected() {
        String only = System.getProperty("jover.writes.only", "").trim();
        if (only.isEmpty()) {
            return all();
        }
        List<Scenario> out = new ArrayList<>();
        for (Scenario s : all()) {
            for (String want : only.split(",")) {
                if (!want.isBlank() && s.name.contains(want.trim())) {
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }

    static Scenario byName(String name) {
        for (Scenario s : all()) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no scenario " + name);
    }

    public static List<Scenario> all() {
        return List.of(createScenario(), mknodScenario(), mkdirScenario(), symlinkScenario(), linkScenario(),
                lowerHardlinks(), unlinkScenario(), rmdirScenario(), renameFiles(), renameDirs(), rename2Scenario(),
                setattrScenario(), writeScenario(), fallocateSeek(), syncScenario(), xattrScenario(),
                copyFileRangeScenario(), tmpfileScenario(), ancestorCopyUp(), unprivileged(), staleCaches());
    }

    /** The tree most scenarios start from: lower-only, upper-only and merged entries. */
    private static Scenario.Builder base(String name) {
        return Scenario.named(name)
                .lowers(b -> b.layer()
                        .file("lf", "lower file\n")
                        .file("lf2", "second lower file\n")
                        .dir("ld").file("ld/a", "ld/a\n")
                        .dir("ld/sub", meta(0750, 1000, 1000, T2)).file("ld/sub/deep", "deep\n")
                        .dir("le")
                        .dir("md").file("md/low", "md/low\n")
                        .symlink("ll", "/nonexistent-jover-test/ll")
                        .fifo("lfifo")
                        .file("shadow", "lower shadow\n")
                        .layer()
                        .file("md/bottom", "md/bottom\n")
                        .file("wh", "hidden by a whiteout\n")
                        .dir("whd").file("whd/x", "whd/x\n")
                        .file("ld/c", "ld/c from the bottom layer\n"))
                .upper(u -> u
                        .file("uf", "upper file\n")
                        .file("uf2", "second upper file\n")
                        .file("shadow", "upper shadow\n")
                        .dir("md").file("md/up", "md/up\n")
                        .dir("ud").file("ud/x", "ud/x\n")
                        .dir("ue")
                        .whiteout("wh")
                        .whiteout("whd"));
    }

    static Scenario createScenario() {
        return base("create")
                .op(create("new", 0644, "new\n"), OK)
                .op(create("ld/sub/new", 0600, "in a lower dir\n"), OK)
                .op(create("md/new", 0640, "in a merged dir\n"), OK)
                .op(create("ud/new", 0644, ""), OK)
                .op(create("wh", 0644, "over a whiteout\n"), OK)
                .op(create("lf", 0644, "x"), "EEXIST")
                .op(create("uf", 0644, "x"), "EEXIST")
                .op(create("md/low", 0644, "x"), "EEXIST")
                .op(create("md", 0644, "x"), "EEXIST")
                .op(create("nodir/x", 0644, "x"), "ENOENT")
                .op(create("whd/x", 0644, "x"), "ENOENT")
                .op(create("lf/x", 0644, "x"), "ENOTDIR")
                .op(openCreate("ld", O_WRONLY), "EISDIR")
                .op(openCreate("lf2", O_WRONLY), OK)
                .op(create("ll", 0644, "x"), "EEXIST")
                .build();
    }

    static Scenario mknodScenario() {
        return base("mknod")
                .op(mknod("fifo", S_IFIFO, 0640, 0, 0), OK)
                .op(mknod("ld/fifo", S_IFIFO, 0600, 0, 0), OK)
                .op(mknod("chr", S_IFCHR, 0600, 1, 3), OK)
                .op(mknod("blk", S_IFBLK, 0600, 7, 0), OK)
                .op(mknod("sock", S_IFSOCK, 0644, 0, 0), OK)
                .op(bindSocket("md/bound"), OK)
                .op(mknod("reg", S_IFREG, 0644, 0, 0), OK)
                .op(mknod("wh", S_IFIFO, 0644, 0, 0), OK)
                .op(mknod("white", S_IFCHR, 0644, 0, 0), "EPERM")
                .op(mknod("lf", S_IFIFO, 0644, 0, 0), "EEXIST")
                .op(mknod("md/up", S_IFIFO, 0644, 0, 0), "EEXIST")
                .op(mknod("nodir/p", S_IFIFO, 0644, 0, 0), "ENOENT")
                .op(mknod("lf/p", S_IFIFO, 0644, 0, 0), "ENOTDIR")
                .op(stat("chr"), "ok c 1/3 0600 0:0 size 0 nlink 1")
                .build();
    }

    static Scenario mkdirScenario() {
        return base("mkdir")
                .op(mkdir("nd", 0755), OK)
                .op(mkdir("ld/sub/nd", 0700), OK)
                .op(mkdir("md/nd", 0777), OK)
                .op(mkdir("whd", 0755), OK)
                .op(create("whd/f", 0644, "in a dir made over a whiteout\n"), OK)
                .op(mkdir("wh", 0711), OK)
                .op(mkdir("ld", 0755), "EEXIST")
                .op(mkdir("md", 0755), "EEXIST")
                .op(mkdir("ue", 0755), "EEXIST")
                .op(mkdir("lf", 0755), "EEXIST")
                .op(mkdir("ll", 0755), "EEXIST")
                .op(mkdir("nodir/x", 0755), "ENOENT")
                .op(mkdir("lf/x", 0755), "ENOTDIR")
                .op(mkdir("sticky", 01777), OK)
                .build();
    }

    static Scenario symlinkScenario() {
        return base("symlink")
                .op(symlink("/nonexistent-jover-test/t", "sl"), OK)
                .op(symlink("../lf", "ld/sub/rel"), OK)
                .op(symlink("x", "wh"), OK)
                .op(symlink("x", "lf"), "EEXIST")
                .op(symlink("x", "ld"), "EEXIST")
                .op(symlink("x", "md/up"), "EEXIST")
                .op(symlink("x", "nodir/l"), "ENOENT")
                .op(chown("ll", 1000, 1000), OK)
                .op(setxattr("ll", "user.x", "1", 0), "EPERM")
                .op(Ops.readlink("ll"), "ok /nonexistent-jover-test/ll")
                .build();
    }

    static Scenario linkScenario() {
        return base("link")
                .op(link("lf", "lf-link"), OK)
                .op(link("uf", "uf-link"), OK)
                .op(link("ld/a", "md/a-link"), OK)
                .op(link("md/low", "ud/low-link"), OK)
                .op(link("lf2", "wh"), OK)
                .op(link("lf", "uf"), "EEXIST")
                .op(link("lf", "md/bottom"), "EEXIST")
                .op(link("ld", "ld-link"), "EPERM")
                .op(link("md", "md-link"), "EPERM")
                .op(link("missing", "x"), "ENOENT")
                .op(link("whd", "x"), "ENOENT")
                .op(link("lf", "nodir/x"), "ENOENT")
                .op(link("ll", "ll-link"), OK)
                .op(link("lfifo", "lfifo-link"), OK)
                .op(append("lf-link", "through the new name\n"), OK)
                .op(stat("lf"), "ok f 0644 0:0 size 32 nlink 2")
                .build();
    }

    /** Hard links inside a lower layer: copy-up of one name breaks the link (index=off). */
    static Scenario lowerHardlinks() {
        return Scenario.named("lower-hardlinks")
                .lowers(b -> b.layer()
                        .file("h1", "linked\n").hardlink("h2", "h1")
                        .file("h3", "linked 3\n").hardlink("h4", "h3")
                        .file("h5", "linked 5\n").hardlink("h6", "h5"))
                .op(stat("h2"), "ok f 0644 0:0 size 7 nlink 2")
                .op(chmod("h1", 0600).renumbers("h1"), OK)
                .op(stat("h2"), "ok f 0644 0:0 size 7 nlink 2")
                .op(append("h3", "more\n").renumbers("h3"), OK)
                .op(read("h4"), "ok 'linked 3\\n'")
                .op(link("h5", "h7").renumbers("h5", "h7"), OK)
                .op(stat("h6"), "ok f 0644 0:0 size 9 nlink 2")
                .op(stat("h7"), "ok f 0644 0:0 size 9 nlink 2")
                .build();
    }

    static Scenario unlinkScenario() {
        return base("unlink")
                .op(unlink("lf"), OK)
                .op(unlink("uf"), OK)
                .op(unlink("shadow"), OK)
                .op(unlink("md/low"), OK)
                .op(unlink("md/bottom"), OK)
                .op(unlink("md/up"), OK)
                .op(unlink("ll"), OK)
                .op(unlink("lfifo"), OK)
                .op(unlink("ld/sub/deep"), OK)
                .op(unlink("missing"), "ENOENT")
                .op(unlink("wh"), "ENOENT")
                .op(unlink("whd/x"), "ENOENT")
                .op(unlink("ld"), "EISDIR")
                .op(unlink("ue"), "EISDIR")
                .op(unlink("ld/a/x"), "ENOTDIR")
                .op(create("lf", 0600, "again\n"), OK)
                .op(unlink("lf"), OK)
                .op(create("uf", 0600, "again\n"), OK)
                .build();
    }

    static Scenario rmdirScenario() {
        return Scenario.named("rmdir")
                .lowers(b -> b.layer()
                        .dir("le")
                        .dir("ld").file("ld/a", "a\n")
                        .dir("md").file("md/low", "low\n")
                        .dir("mdx").file("mdx/a", "a\n")
                        .dir("hd").file("hd/x", "x\n")
                        .dir("od").file("od/hidden", "hidden\n")
                        .file("lf", "lf\n")
                        .layer()
                        .file("mdx/b", "b\n")
                        .dir("md2").file("md2/deep", "x\n"))
                .upper(u -> u
                        .dir("md").file("md/up", "up\n")
                        .dir("mdx").file("mdx/c", "c\n")
                        .dir("hd").whiteout("hd/x")
                        .opaqueDir("od")
                        .dir("ue")
                        .dir("un").file("un/f", "f\n")
                        .dir("md2"))
                .op(rmdir("le"), OK)
                .op(rmdir("ld"), "ENOTEMPTY")
                .op(rmdir("md"), "ENOTEMPTY")
                .op(rmdir("md2"), "ENOTEMPTY")
                .op(rmdir("un"), "ENOTEMPTY")
                .op(unlink("mdx/a"), OK)
                .op(unlink("mdx/b"), OK)
                .op(rmdir("mdx"), "ENOTEMPTY")
                .op(unlink("mdx/c"), OK)
                .op(rmdir("mdx"), OK)
                .op(rmdir("hd"), OK)
                .op(rmdir("od"), OK)
                .op(rmdir("ue"), OK)
                .op(rmdir("lf"), "ENOTDIR")
                .op(rmdir("missing"), "ENOENT")
                .op(rmdir("le"), "ENOENT")
                .op(mkdir("le", 0755), OK)
                .op(mkdir("mdx", 0700), OK)
                .op(rmdir("mdx"), OK)
                .op(unlink("md2/deep"), OK)
                .op(rmdir("md2"), OK)
                .build();
    }

    static Scenario renameFiles() {
        return base("rename-files")
                .op(rename("lf", "lf-moved"), OK)
                .op(rename("uf", "uf-moved"), OK)
                .op(rename("ld/a", "md/a"), OK)
                .op(rename("lf2", "uf2"), OK)
                .op(rename("uf-moved", "md/low"), OK)
                .op(rename("md/up", "ud/x"), OK)
                .op(rename("md/bottom", "ld/sub/bottom"), OK)
                .op(rename("shadow", "ld/shadow"), OK)
                .op(rename("ll", "ld/ll"), OK)
                .op(rename("lfifo", "fifo-moved"), OK)
                .op(rename("md/low", "ld"), "EISDIR")
                .op(rename("md/low", "ue"), "EISDIR")
                .op(rename("missing", "x"), "ENOENT")
                .op(rename("wh", "x"), "ENOENT")
                .op(rename("lf-moved", "lf-moved"), OK)
                .op(rename("md/a", "nodir/a"), "ENOENT")
                .op(rename("md/a", "lf-moved/a"), "ENOTDIR")
                .op(rename("md/a", "wh"), OK)
                .op(create("lf", 0644, "a new lf\n"), OK)
                .build();
    }

    static Scenario renameDirs() {
        return base("rename-dirs")
                .op(rename("ld", "ld2"), "EXDEV")
                .op(rename("md", "md2"), "EXDEV")
                .op(rename("le", "le2"), "EXDEV")
                .op(rename("ld/sub", "sub2"), "EXDEV")
                .op(rename("ud", "ud2"), OK)
                .op(rename("ud2", "ld/sub/ud3"), OK)
                .op(mkdir("fresh", 0755), OK)
                .op(rename("fresh", "md/fresh"), OK)
                .op(mkdir("whd", 0755), OK)
                .op(rename("whd", "whd2"), OK)
                .op(rename("ue", "le"), OK)
                .op(mkdir("ue", 0755), OK)
                .op(rename("ue", "ld"), "ENOTEMPTY")
                .op(rename("ue", "md"), "ENOTEMPTY")
                .op(rename("ue", "lf"), "ENOTDIR")
                .op(rename("md/fresh", "md/fresh/inner"), "EINVAL")
                .op(rename("lf", "ue"), "EISDIR")
                .op(rename("ue", "wh"), OK)
                // md emptied: its upper dir holds only whiteouts, which a rename over it must clear
                .op(unlink("md/low"), OK)
                .op(unlink("md/bottom"), OK)
                .op(unlink("md/up"), OK)
                .op(rmdir("md/fresh"), OK)
                .op(mkdir("ue3", 0755), OK)
                .op(create("ue3/in", 0644, "in\n"), OK)
                .op(rename("ue3", "md"), OK)
                .build();
    }

    static Scenario rename2Scenario() {
        return base("rename2")
                .op(rename2("lf", "uf", RENAME_NOREPLACE), "EEXIST")
                .op(rename2("lf", "md/low", RENAME_NOREPLACE), "EEXIST")
                .op(rename2("uf", "md/up", RENAME_NOREPLACE), "EEXIST")
                .op(rename2("ld", "ld2", RENAME_NOREPLACE), "EXDEV")
                .op(rename2("uf", "uf-new", RENAME_NOREPLACE), OK)
                .op(rename2("lf2", "wh", RENAME_NOREPLACE), OK)
                .op(rename2("lf", "uf2", RENAME_EXCHANGE), OK)
                .op(rename2("wh", "md/low", RENAME_EXCHANGE), OK)
                .op(rename2("uf-new", "ud", RENAME_EXCHANGE), OK)
                .op(rename2("shadow", "md/bottom", RENAME_EXCHANGE), OK)
                .op(rename2("lf", "missing", RENAME_EXCHANGE), "ENOENT")
                .op(rename2("whd", "lf", RENAME_EXCHANGE), "ENOENT")
                .op(rename2("ld", "uf2", RENAME_EXCHANGE), "EXDEV")
                .op(rename2("ue", "uf2", RENAME_EXCHANGE), OK)
                .op(rename2("lf", "uf2", RENAME_EXCHANGE | RENAME_NOREPLACE), "EINVAL")
                .op(rename2("lf", "lf-wh", jover.testing.FsCalls.RENAME_WHITEOUT), "EINVAL")
                .build();
    }

    static Scenario setattrScenario() {
        return Scenario.named("setattr")
                .lowers(b -> b.layer()
                        .file("a", Content.of("a\n"), meta(0644, 1000, 1000, T2).withXattr("user.a", b("1")))
                        .file("b", Content.of("b\n"), meta(0644, 0, 0, T2))
                        .file("c", Content.of("c\n"), meta(0644, 0, 0, T2))
                        .file("d", Content.of("d\n"), meta(0644, 0, 0, T2))
                        .file("e", Content.of("e\n"), meta(0644, 0, 0, T2))
                        .file("f", Content.of("ffffff\n"), meta(0644, 0, 0, T2))
                        .file("g", Content.of("g\n"), meta(0644, 0, 0, T2))
                        .file("h", Content.of("h\n"), meta(0644, 0, 0, T2))
                        .file("suid", Content.of("s\n"), meta(04755, 1000, 1000, T2))
                        .file("sgid", Content.of("s\n"), meta(02755, 1000, 1000, T2))
                        .file("both", Content.of("s\n"), meta(06755, 1000, 1000, T2))
                        .dir("ld", meta(0755, 0, 0, T2)).file("ld/x", Content.of("x\n"), meta(0644, 0, 0, T2))
                        .dir("ld2", meta(0755, 0, 0, T2))
                        .symlink("ll", "/nonexistent-jover-test/ll"))
                .upper(u -> u.file("uf", Content.of("upper\n"), meta(0644, 0, 0, T2)))
                .op(chmod("a", 0600), OK)
                .op(chown("b", 2000, 2000), OK)
                .op(chown("b", -1, 3000), OK)
                .op(utimes("c", T1, T1), OK)
                .op(utimesMtimeNow("d"), OK)
                .op(touchNow("e"), OK)
                .op(truncate("f", 3), OK)
                .op(truncate("g", 100), OK)
                .op(fchmod("h", 0640), OK)
                .op(chown("suid", 1000, 1000), OK)
                .op(stat("suid"), "ok f 0755 1000:1000 size 2 nlink 1")
                .op(chown("sgid", 2000, -1), OK)
                .op(stat("sgid"), "ok f 0755 2000:1000 size 2 nlink 1")
                .op(truncate("both", 1), OK)
                .op(stat("both"), "ok f 6755 1000:1000 size 1 nlink 1")
                .op(chmod("ld", 0700), OK)
                .op(utimes("ld2", T1, T1), OK)
                .op(chmod("ld/x", 0600), OK)
                .op(chmod("ll", 0600), "ENOENT")
                .op(chmod("missing", 0600), "ENOENT")
                .op(truncate("ld", 0), "EISDIR")
                .op(truncate("missing", 0), "ENOENT")
                .op(chmod("uf", 0444), OK)
                .op(ftruncate("uf", 2), OK)
                .op(utimes("uf", T1, T1), OK)
                .op(chmod("", 0711), OK)
                .build();
    }

    static Scenario writeScenario() {
        return Scenario.named("write")
                .lowers(b -> b.layer()
                        .file("w1", "hello world\n")
                        .file("w2", "append to me\n")
                        .file("w3", "truncate me\n")
                        .file("w4", Content.of("open me for write\n"),
                                meta(0640, 1000, 1000, T2).withXattr("user.keep", b("yes")))
                        .file("w5", "open me read-only\n")
                        .file("w6", "read me while another fd writes\n")
                        .file("w7", "rw\n")
                        .file("w8", "unlink me while open\n")
                        .file("w9", "renamed over while open\n")
                        .file("w10", "w10\n")
                        .dir("ld").file("ld/w", "in a lower dir\n")
                        .fifo("lfifo"))
                .upper(u -> u.file("uw", "upper\n"))
                .op(write("w1", 6, "WORLD"), "ok wrote 5")
                .op(append("w2", "more\n"), "ok wrote 5")
                .op(truncOpen("w3", "new\n"), OK)
                .op(open("w4", O_WRONLY), OK)
                .op(open("w5", O_RDONLY), OK)
                .op(readThroughFdOpenedBeforeCopyUp("w6", "WRITTEN").deliberate("README: with passthrough a "
                        + "descriptor opened read-only before a copy-up keeps reading the lower file"),
                        "ok 'WRITTEN while another fd writes\\n' fstat size 32 mode 0644")
                .op(open("w7", O_RDWR | O_APPEND), OK)
                .op(write("ld/w", 100, "far"), "ok wrote 3")
                .op(write("uw", 0, "UP"), "ok wrote 2")
                .op(open("ld", O_WRONLY), "EISDIR")
                .op(open("lfifo", O_WRONLY | O_NONBLOCK), "ENXIO")
                .op(read("w1"), "ok 'hello WORLD\\n'")
                .op(Ops.writeAfterUnlink("w8", "GONE"), "ok 'GONEnk me while open\\n' nlink 0 size 21")
                .op(Ops.writeAfterUnlink("uw", "U"), "ok 'UPper\\n' nlink 0 size 6")
                // the replaced file was never copied up: fstat reaches the lower file, still linked there
                .op(Ops.renameOverOpenFile("w10", "w9"), "ok 'renamed over while open\\n' nlink 1")
                .build();
    }

    /**
     * Sparse files. Before copy-up lseek reaches the lower file, so the exact map is compared;
     * after it only the 1 MiB chunk map (see {@link Ops#dataChunks}).
     */
    static Scenario fallocateSeek() {
        long mib = 1 << 20;
        return Scenario.named("fallocate-seek")
                .lowers(b -> b.layer()
                        .file("sp", sparse(8 * mib, 0, 4 * mib), Meta.of(0644))
                        .file("sp2", sparse(8 * mib, 0, 4 * mib), Meta.of(0644))
                        .file("sp3", sparse(8 * mib, 0, 4 * mib), Meta.of(0644))
                        .file("sp4", sparse(8 * mib, 0, 4 * mib), Meta.of(0644))
                        .file("f", "plain\n"))
                .op(dataMap("sp"), "ok size 8388608 data [0,4096) [4194304,4198400)")
                .op(seek("sp", 4096, SEEK_DATA), "ok 4194304")
                .op(seek("sp", 0, SEEK_HOLE), "ok 4096")
                .op(seek("sp", 5 * mib, SEEK_DATA), "ENXIO")
                .op(seek("sp", 9 * mib, SEEK_HOLE), "ENXIO")
                .op(chmod("sp", 0600), OK)
                .op(Ops.dataChunks("sp"), "ok size 8388608 chunks [0, 4]")
                .op(fallocate("sp2", FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4 * mib, mib), OK)
                .op(Ops.dataChunks("sp2"), "ok size 8388608 chunks [0]")
                .op(fallocate("sp3", 0, 10 * mib, 4096), OK)
                .op(Ops.dataChunks("sp3"), "ok size 10489856 chunks [0, 4, 10]")
                .op(write("sp4", 2 * mib + 5, "in the hole"), OK)
                .op(Ops.dataChunks("sp4"), "ok size 8388608 chunks [0, 2, 4]")
                .op(create("nf", 0644, ""), OK)
                .op(fallocate("nf", 0, 0, 8192), OK)
                .op(fallocate("nf", FALLOC_FL_KEEP_SIZE, 3 * mib, 4096), OK)
                .op(write("nf", 2 * mib, "data"), OK)
                .op(dataMap("nf"), OK)
                .op(seek("nf", 8192, SEEK_HOLE), OK)
                .op(fallocate("f", FALLOC_FL_KEEP_SIZE, 0, 65536), OK)
                .op(fallocate("f", FALLOC_FL_ZERO_RANGE, 1, 2), OK)
                .op(stat("f"), "ok f 0644 0:0 size 6 nlink 1")
                .op(fallocate("f", FALLOC_FL_PUNCH_HOLE, 0, 4096), "EOPNOTSUPP")
                .build();
    }

    static Scenario syncScenario() {
        return base("sync")
                .op(fsync("lf", "synced\n", false), OK)
                .op(fsync("lf2", "datasynced\n", true), OK)
                .op(fsync("ld/a", null, false), OK)
                .op(fsyncDir("ld"), OK)
                .op(fsyncDir("md"), OK)
                .op(fsyncDir(""), OK)
                .op(syncfs(""), OK)
                .op(syncfs("ld/a"), OK)
                .op(fsync("uf", "upper synced\n", false), OK)
                .build();
    }

    static Scenario xattrScenario() {
        return Scenario.named("xattr")
                .lowers(b -> b.layer()
                        .file("xf", Content.of("x\n"), Meta.of(0644).withXattr("user.a", b("1")).withXattr("user.b",
                                b("2")))
                        .file("xf2", Content.of("x\n"), Meta.of(0644).withXattr("user.a", b("1")))
                        .file("xf3", Content.of("x\n"), Meta.of(0644).withXattr("user.a", b("1")))
                        .file("lf", "plain\n")
                        .dir("xd", Meta.of(0755).withXattr("user.d", b("dir")))
                        .dir("od").file("od/hidden", "hidden\n")
                        .symlink("ll", "/nonexistent-jover-test/ll"))
                .upper(u -> u.opaqueDir("od").file("uf", "upper\n"))
                .op(setxattr("xf", "user.c", "3", 0), OK)
                .op(removexattr("xf", "user.a"), OK)
                .op(listxattr("xf"), "ok [user.b, user.c]")
                .op(removexattr("xf2", "user.zz"), "ENODATA")
                .op(setxattr("xf2", "user.a", "new", Linux.XATTR_CREATE), "EEXIST")
                .op(setxattr("xf2", "user.q", "new", Linux.XATTR_REPLACE), "ENODATA")
                .op(setxattr("xf2", "user.a", "replaced", Linux.XATTR_REPLACE), OK)
                .op(removexattr("xf3", "user.a"), OK)
                .op(setxattr("xd", "user.e", "4", 0), OK)
                .op(removexattr("xd", "user.d"), OK)
                .op(getxattr("od", "trusted.overlay.opaque"), "ENODATA")
                .op(listxattr("od"), "ok []")
                // 6.7+: trusted.overlay.X set through the mount is stored escaped
                // (trusted.overlay.overlay.X), and listed and read back unescaped
                .op(setxattr("lf", "trusted.overlay.opaque", "y", 0), OK)
                .op(setxattr("uf", "trusted.overlay.opaque", "y", 0), OK)
                .op(getxattr("uf", "trusted.overlay.opaque"), "ok 'y'")
                .op(listxattr("uf"), "ok [trusted.overlay.opaque]")
                .op(removexattr("od", "trusted.overlay.opaque"), "ENODATA")
                .op(removexattr("uf", "trusted.overlay.opaque"), OK)
                .op(setxattr("uf", "trusted.overlay.origin", "", 0), OK)
                .op(setxattr("lf", "trusted.jover-test", "t", 0), OK)
                .op(getxattr("lf", "trusted.jover-test"), "ok 't'")
                .op(setxattr("uf", "user.overlay.opaque", "y", 0), OK)
                .op(getxattr("uf", "user.overlay.opaque"), "ok 'y'")
                .op(setxattr("ll", "user.x", "1", 0), "EPERM")
                .op(getxattr("missing", "user.x"), "ENOENT")
                .op(getxattr("xd", "user.e"), "ok '4'")
                .build();
    }

    static Scenario copyFileRangeScenario() {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            big.append(String.format("line %05d\n", i));
        }
        String src = big.toString();
        return Scenario.named("copy-file-range")
                .lowers(b -> b.layer()
                        .file("src", src)
                        .file("dst", "lower target, will be partly overwritten\n")
                        .file("self", src)
                        .dir("ld"))
                .upper(u -> u.file("usrc", "upper source\n"))
                .op(copyFileRange("src", 0, "copy", 0, src.length(), true), "ok copied " + src.length())
                .op(copyFileRange("src", 110, "dst", 6, 10, false), "ok copied 10")
                .op(copyFileRange("self", 0, "self", 5000, 100, false), "ok copied 100")
                .op(copyFileRange("usrc", 0, "ld/from-upper", 0, 13, true), "ok copied 13")
                .op(copyFileRange("missing", 0, "x", 0, 1, true), "ENOENT")
                .build();
    }

    static Scenario tmpfileScenario() {
        return base("tmpfile")
                .op(tmpfile("ld", 0640, "tmp linked\n", "ld/t1"), OK)
                .op(tmpfile("ld/sub", 0600, "never linked\n", null), OK)
                .op(tmpfile("", 0644, "root tmp\n", "t2"), OK)
                .op(tmpfile("md", 0644, "merged tmp\n", "md/t3"), OK)
                .op(tmpfileExclLink("ld", "ld/t4"), "ENOENT")
                .op(tmpfile("nodir", 0644, "x", null), "ENOENT")
                .op(tmpfile("lf", 0644, "x", null), "ENOTDIR")
                .op(tmpfile("ld", 0644, "x", "lf"), "EEXIST")
                .build();
    }

    /** Creating deep inside lower-only directories copies each ancestor up, attributes kept. */
    static Scenario ancestorCopyUp() {
        return Scenario.named("ancestor-copy-up")
                .lowers(b -> b.layer()
                        .dir("a", meta(0751, 1000, 1000, T2).withXattr("user.a", b("a")))
                        .dir("a/b", meta(0705, 2000, 2000, T2 + 1).withXattr("user.b", b("b")))
                        .dir("a/b/c", meta(0777, 0, 1000, T2 + 2))
                        .file("a/b/c/f", Content.of("f\n"), meta(0640, 1000, 2000, T2 + 3).withXattr("user.f", b("f")))
                        .dir("p", meta(0755, 0, 0, T2)).dir("p/q", meta(0755, 0, 0, T2))
                        .file("p/q/g", Content.of("g\n"), meta(04755, 1000, 1000, T2))
                        .layer()
                        .dir("a/b", meta(0700, 0, 0, T1))
                        .file("a/b/other", Content.of("other\n"), meta(0600, 3000, 3000, T1))
                        .dir("p/q/r", meta(0700, 0, 0, T1)).file("p/q/r/deep", "deep\n"))
                .op(create("a/b/c/new", 0644, "new\n"), OK)
                .op(chmod("a/b/c/f", 0600), OK)
                .op(append("a/b/other", "more\n"), OK)
                .op(setxattr("p/q/g", "user.g", "g", 0), OK)
                .op(mkdir("p/q/r/s", 0755), OK)
                .op(stat("p/q/g"), "ok f 4755 1000:1000 size 2 nlink 1")
                .build();
    }

    /** Changes by a real unprivileged process (setpriv: uid/gid 1000, no groups, no capabilities, umask 027). */
    static Scenario unprivileged() {
        return Scenario.named("unprivileged")
                .lowers(b -> b.layer()
                        .dir("pub", meta(0777, 0, 0, T2))
                        .dir("sticky", meta(01777, 0, 0, T2))
                        .file("sticky/rootf", Content.of("root's\n"), meta(0666, 0, 0, T2))
                        .dir("priv", meta(0755, 0, 0, T2))
                        .file("priv/f", Content.of("root's\n"), meta(0644, 0, 0, T2))
                        .file("priv/rw", Content.of("writable\n"), meta(0666, 0, 0, T2))
                        .file("secret", Content.of("secret\n"), meta(0600, 0, 0, T2))
                        .file("mine", Content.of("mine\n"), meta(0644, 1000, 1000, T2))
                        .file("suidf", Content.of("suid\n"), meta(06777, 0, 0, T2))
                        .dir("minedir", meta(0755, 1000, 1000, T2))
                        .dir("sgid", meta(02777, 0, 3000, T2))
                        .dir("ldir", meta(0755, 0, 0, T2)).dir("ldir/pub2", meta(0777, 0, 0, T2)))
                .op(Op.shell("touch, mkdir, mkfifo, ln -s in a world-writable lower dir", USER, "pub",
                        "touch f && mkdir d && mkfifo p && ln -s /nonexistent-jover-test/x l",
                        new Op.Create(List.of("pub/f", "pub/d", "pub/p", "pub/l"))), OK)
                .op(create("pub/g", 0666, "g\n").as(USER), OK)
                .op(mkdir("pub/h", 0777).as(USER), OK)
                .op(create("ldir/pub2/deep", 0666, "deep\n").as(USER), OK)
                .op(create("sgid/f", 0666, "f\n").as(USER), OK)
                .op(mkdir("sgid/d", 0777).as(USER), OK)
                .op(create("minedir/f", 0644, "f\n").as(USER), OK)
                .op(create("priv/x", 0644, "x").as(USER), "EACCES")
                .op(mkdir("priv/d", 0755).as(USER), "EACCES")
                .op(unlink("priv/f").as(USER), "EACCES")
                .op(rmdir("priv").as(USER), "EACCES")
                .op(write("priv/f", 0, "x").as(USER), "EACCES")
                .op(read("secret").as(USER), "EACCES")
                .op(access("secret", Linux.R_OK).as(USER), "EACCES")
                .op(truncate("priv/f", 0).as(USER), "EACCES")
                .op(chmod("priv/f", 0666).as(USER), "EPERM")
                .op(chown("mine", 0, 0).as(USER), "EPERM")
                .op(chown("mine", -1, 0).as(USER), "EPERM")
                .op(utimes("priv/f", T1, T1).as(USER), "EPERM")
                .op(touchNow("priv/f").as(USER), "EACCES")
                .op(touchNow("priv/rw").as(USER), OK)
                .op(utimes("priv/rw", T1, T1).as(USER), "EPERM")
                .op(unlink("sticky/rootf").as(USER), "EPERM")
                .op(rename("sticky/rootf", "sticky/moved").as(USER), "EPERM")
                .op(rename("mine", "pub/mine").as(USER), "EACCES")
                .op(setxattr("priv/f", "user.x", "1", 0).as(USER), "EACCES")
                .op(link("priv/f", "pub/f-link").as(USER), "EPERM")
                .op(mknod("pub/chr", S_IFCHR, 0644, 1, 3).as(USER), "EPERM")
                .op(chmod("mine", 0600).as(USER), OK)
                .op(setxattr("mine", "user.x", "1", 0).as(USER), OK)
                .op(write("priv/rw", 0, "W").as(USER), "ok wrote 1")
                .op(write("suidf", 0, "S").as(USER), "ok wrote 1")
                .op(stat("suidf"), "ok f 0777 0:0 size 5 nlink 1")
                .op(chown("minedir", -1, 1000).as(USER), OK)
                .op(chmod("pub/g", 02750).as(USER), OK)
                .op(stat("pub/g"), "ok f 2750 1000:1000 size 2 nlink 1")
                .op(chmod("sgid/f", 02640).as(USER), OK)
                .op(stat("sgid/f"), "ok f 0640 1000:3000 size 2 nlink 1")
                .op(rename("pub/g", "pub/g2").as(USER), OK)
                .op(unlink("pub/f").as(USER), OK)
                .op(rmdir("pub/h").as(USER), OK)
                .build();
    }

    /**
     * jover mounts with day-long entry and attribute timeouts: after each change every name,
     * size, mode and nlink must read fresh, also through another name of the same file.
     */
    static Scenario staleCaches() {
        return Scenario.named("stale-caches")
                .lowers(b -> b.layer()
                        .file("a", "aaaa\n").file("b", "bb\n").file("c", "c\n")
                        .file("h1", "linked\n").hardlink("h2", "h1")
                        .file("x", "x\n").file("y", "yyyyyy\n")
                        .dir("d").file("d/in", "in\n"))
                .op(stat("a"), "ok f 0644 0:0 size 5 nlink 1")
                .op(rename("b", "a"), OK)
                .op(stat("a"), "ok f 0644 0:0 size 3 nlink 1")
                .op(stat("b"), "ENOENT")
                .op(link("c", "c2"), OK)
                .op(append("c2", "through c2\n"), OK)
                .op(stat("c"), "ok f 0644 0:0 size 13 nlink 2")
                .op(chmod("c2", 0600), OK)
                .op(stat("c"), "ok f 0600 0:0 size 13 nlink 2")
                .op(unlink("c2"), OK)
                .op(stat("c"), "ok f 0600 0:0 size 13 nlink 1")
                .op(stat("h2"), "ok f 0644 0:0 size 7 nlink 2")
                .op(chmod("h1", 0600).renumbers("h1"), OK)
                .op(stat("h2"), "ok f 0644 0:0 size 7 nlink 2")
                .op(stat("h1"), "ok f 0600 0:0 size 7 nlink 1")
                .op(rename2("x", "y", RENAME_EXCHANGE), OK)
                .op(stat("x"), "ok f 0644 0:0 size 7 nlink 1")
                .op(stat("y"), "ok f 0644 0:0 size 2 nlink 1")
                .op(stat("d/in"), "ok f 0644 0:0 size 3 nlink 1")
                .op(unlink("d/in"), OK)
                .op(rmdir("d"), OK)
                .op(create("d", 0600, "now a file\n"), OK)
                .op(stat("d"), "ok f 0600 0:0 size 11 nlink 1")
                .op(truncate("d", 1).as(new Op.Cred(0, 0, 022)), OK)
                .op(stat("d"), "ok f 0600 0:0 size 1 nlink 1")
                .build();
    }
}
