package jover.fuse.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Pins jover's ABI constants to the numbers written in shared/fuse-protocol.md (which were
 * checked against the kernel's BTF). The expected values are literals copied from that document,
 * never derived from the constants under test.
 */
class FuseAbiTest {

    @Test
    void structSizes_matchProtocolDocument() {
        assertEquals(40, Fuse.IN_HEADER_SIZE, "fuse_in_header");
        assertEquals(16, Fuse.OUT_HEADER_SIZE, "fuse_out_header");
        assertEquals(64, Fuse.INIT_IN_SIZE, "fuse_init_in");
        assertEquals(64, Fuse.INIT_OUT_SIZE, "fuse_init_out");
        assertEquals(88, Fuse.ATTR_SIZE, "fuse_attr");
        assertEquals(128, Fuse.ENTRY_OUT_SIZE, "fuse_entry_out");
        assertEquals(104, Fuse.ATTR_OUT_SIZE, "fuse_attr_out");
        assertEquals(16, Fuse.OPEN_OUT_SIZE, "fuse_open_out");
        assertEquals(24, Fuse.DIRENT_SIZE, "fuse_dirent (without name)");
        assertEquals(152, Fuse.DIRENTPLUS_SIZE, "fuse_direntplus (without name)");
        assertEquals(80, Fuse.KSTATFS_SIZE, "fuse_kstatfs");
        assertEquals(8, Fuse.GETXATTR_OUT_SIZE, "fuse_getxattr_out");
        assertEquals(8, Fuse.WRITE_OUT_SIZE, "fuse_write_out");
        assertEquals(8, Fuse.LSEEK_OUT_SIZE, "fuse_lseek_out");
    }

    @Test
    void composedSizes_areConsistent() {
        // fuse_entry_out ends with a fuse_attr at offset 40; fuse_attr_out has it at 16;
        // fuse_direntplus is an entry_out followed by a dirent.
        assertEquals(40 + Fuse.ATTR_SIZE, Fuse.ENTRY_OUT_SIZE);
        assertEquals(16 + Fuse.ATTR_SIZE, Fuse.ATTR_OUT_SIZE);
        assertEquals(Fuse.ENTRY_OUT_SIZE + Fuse.DIRENT_SIZE, Fuse.DIRENTPLUS_SIZE);
    }

    @Test
    void versionsAndLimits() {
        assertEquals(7, Fuse.KERNEL_VERSION);
        assertEquals(45, Fuse.KERNEL_MINOR_VERSION);
        assertEquals(1L, Fuse.ROOT_ID);
        assertEquals(8192, Fuse.MIN_READ_BUFFER);
    }

    @Test
    void initFlagBits() {
        assertEquals(1 << 0, Fuse.INIT_ASYNC_READ);
        assertEquals(1 << 1, Fuse.INIT_POSIX_LOCKS);
        assertEquals(1 << 3, Fuse.INIT_ATOMIC_O_TRUNC);
        assertEquals(1 << 4, Fuse.INIT_EXPORT_SUPPORT);
        assertEquals(1 << 5, Fuse.INIT_BIG_WRITES);
        assertEquals(1 << 6, Fuse.INIT_DONT_MASK);
        assertEquals(1 << 10, Fuse.INIT_FLOCK_LOCKS);
        assertEquals(1 << 12, Fuse.INIT_AUTO_INVAL_DATA);
        assertEquals(1 << 13, Fuse.INIT_DO_READDIRPLUS);
        assertEquals(1 << 14, Fuse.INIT_READDIRPLUS_AUTO);
        assertEquals(1 << 15, Fuse.INIT_ASYNC_DIO);
        assertEquals(1 << 16, Fuse.INIT_WRITEBACK_CACHE);
        assertEquals(1 << 18, Fuse.INIT_PARALLEL_DIROPS);
        assertEquals(1 << 19, Fuse.INIT_HANDLE_KILLPRIV);
        assertEquals(1 << 20, Fuse.INIT_POSIX_ACL);
        assertEquals(1 << 22, Fuse.INIT_MAX_PAGES);
        assertEquals(1 << 23, Fuse.INIT_CACHE_SYMLINKS);
        assertEquals(1 << 24, Fuse.INIT_NO_OPENDIR_SUPPORT);
        assertEquals(1 << 28, Fuse.INIT_HANDLE_KILLPRIV_V2);
        assertEquals(1 << 29, Fuse.INIT_SETXATTR_EXT);
        assertEquals(1 << 30, Fuse.INIT_INIT_EXT);
        // flags2 bit n is 1ULL << (32 + n) in the kernel header
        assertEquals(1 << 4, Fuse.FLAGS2_DIRECT_IO_ALLOW_MMAP);
        assertEquals(1 << 5, Fuse.FLAGS2_PASSTHROUGH);
    }

    @Test
    void openSetattrAndMiscFlags() {
        assertEquals(1, Fuse.FOPEN_DIRECT_IO);
        assertEquals(2, Fuse.FOPEN_KEEP_CACHE);
        assertEquals(4, Fuse.FOPEN_NONSEEKABLE);
        assertEquals(8, Fuse.FOPEN_CACHE_DIR);
        assertEquals(16, Fuse.FOPEN_STREAM);
        assertEquals(32, Fuse.FOPEN_NOFLUSH);
        assertEquals(64, Fuse.FOPEN_PARALLEL_DIRECT_WRITES);
        assertEquals(128, Fuse.FOPEN_PASSTHROUGH);

        assertEquals(1 << 0, Fuse.FATTR_MODE);
        assertEquals(1 << 1, Fuse.FATTR_UID);
        assertEquals(1 << 2, Fuse.FATTR_GID);
        assertEquals(1 << 3, Fuse.FATTR_SIZE);
        assertEquals(1 << 4, Fuse.FATTR_ATIME);
        assertEquals(1 << 5, Fuse.FATTR_MTIME);
        assertEquals(1 << 6, Fuse.FATTR_FH);
        assertEquals(1 << 7, Fuse.FATTR_ATIME_NOW);
        assertEquals(1 << 8, Fuse.FATTR_MTIME_NOW);
        assertEquals(1 << 9, Fuse.FATTR_LOCKOWNER);
        assertEquals(1 << 10, Fuse.FATTR_CTIME);
        assertEquals(1 << 11, Fuse.FATTR_KILL_SUIDGID);

        assertEquals(1, Fuse.GETATTR_FH);
        assertEquals(1, Fuse.RELEASE_FLUSH);
        assertEquals(2, Fuse.NOTIFY_INVAL_INODE);
        assertEquals(3, Fuse.NOTIFY_INVAL_ENTRY);
        assertEquals(6, Fuse.NOTIFY_DELETE);
    }

    @Test
    void devIoctls() {
        assertEquals(0x8004E500L, Fuse.DEV_IOC_CLONE);
        assertEquals(0x4010E501L, Fuse.DEV_IOC_BACKING_OPEN);
        assertEquals(0x4004E502L, Fuse.DEV_IOC_BACKING_CLOSE);
        assertEquals(0xE503L, Fuse.DEV_IOC_SYNC_INIT);
    }

    @Test
    void opcodes() {
        int[][] expected = {
            {Opcode.LOOKUP, 1}, {Opcode.FORGET, 2}, {Opcode.GETATTR, 3}, {Opcode.SETATTR, 4},
            {Opcode.READLINK, 5}, {Opcode.SYMLINK, 6}, {Opcode.MKNOD, 8}, {Opcode.MKDIR, 9},
            {Opcode.UNLINK, 10}, {Opcode.RMDIR, 11}, {Opcode.RENAME, 12}, {Opcode.LINK, 13},
            {Opcode.OPEN, 14}, {Opcode.READ, 15}, {Opcode.WRITE, 16}, {Opcode.STATFS, 17},
            {Opcode.RELEASE, 18}, {Opcode.FSYNC, 20}, {Opcode.SETXATTR, 21}, {Opcode.GETXATTR, 22},
            {Opcode.LISTXATTR, 23}, {Opcode.REMOVEXATTR, 24}, {Opcode.FLUSH, 25}, {Opcode.INIT, 26},
            {Opcode.OPENDIR, 27}, {Opcode.READDIR, 28}, {Opcode.RELEASEDIR, 29}, {Opcode.FSYNCDIR, 30},
            {Opcode.GETLK, 31}, {Opcode.SETLK, 32}, {Opcode.SETLKW, 33}, {Opcode.ACCESS, 34},
            {Opcode.CREATE, 35}, {Opcode.INTERRUPT, 36}, {Opcode.BMAP, 37}, {Opcode.DESTROY, 38},
            {Opcode.IOCTL, 39}, {Opcode.POLL, 40}, {Opcode.NOTIFY_REPLY, 41}, {Opcode.BATCH_FORGET, 42},
            {Opcode.FALLOCATE, 43}, {Opcode.READDIRPLUS, 44}, {Opcode.RENAME2, 45}, {Opcode.LSEEK, 46},
            {Opcode.COPY_FILE_RANGE, 47}, {Opcode.SYNCFS, 50}, {Opcode.TMPFILE, 51}, {Opcode.STATX, 52},
            {Opcode.COPY_FILE_RANGE_64, 53},
        };
        for (int[] e : expected) {
            assertEquals(e[1], e[0], () -> "opcode " + Opcode.name(e[0]));
        }
        assertEquals(54, Opcode.LIMIT);
    }

    @Test
    void opcodeNames() {
        assertEquals("LOOKUP", Opcode.name(1));
        assertEquals("BATCH_FORGET", Opcode.name(42));
        assertEquals("COPY_FILE_RANGE_64", Opcode.name(53));
        assertEquals("OPCODE_7", Opcode.name(7));
        assertEquals("OPCODE_54", Opcode.name(54));
        assertEquals("OPCODE_-1", Opcode.name(-1));
    }
}
