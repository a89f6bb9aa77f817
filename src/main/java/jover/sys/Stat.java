package jover.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The attributes of one file as statx reports them (struct statx, 256 bytes).
 * Device numbers are kept as major/minor; {@link #rdevEncoded()} gives the kernel's u32 form.
 */
public record Stat(
        long ino, int mode, int nlink, int uid, int gid, long size, long blocks, int blksize,
        long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec, long ctimeSec, int ctimeNsec,
        int rdevMajor, int rdevMinor, int devMajor, int devMinor) {

    static final int STATX_SIZE = 256;
    static final int STATX_BASIC_STATS = 0x7ff;

    static Stat decode(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        return new Stat(
                b.getLong(32), b.getShort(28) & 0xffff, b.getInt(16), b.getInt(20), b.getInt(24),
                b.getLong(40), b.getLong(48), b.getInt(4),
                b.getLong(64), b.getInt(72), b.getLong(112), b.getInt(120), b.getLong(96), b.getInt(104),
                b.getInt(128), b.getInt(132), b.getInt(136), b.getInt(140));
    }

    public boolean isDir() {
        return Linux.isDir(mode);
    }

    public boolean isReg() {
        return Linux.isReg(mode);
    }

    public boolean isLink() {
        return Linux.isLink(mode);
    }

    /** Kernel-format whiteout: a character device with device number 0/0. */
    public boolean isCharDevice00() {
        return Linux.isChr(mode) && rdevMajor == 0 && rdevMinor == 0;
    }

    /** The file's device as one number (glibc's makedev), to tell filesystems apart. */
    public long dev() {
        return makedev(devMajor, devMinor);
    }

    /** rdev in the kernel's 32-bit encoding, as FUSE's attr.rdev carries it. */
    public int rdevEncoded() {
        return (rdevMinor & 0xff) | (rdevMajor << 8) | ((rdevMinor & ~0xff) << 12);
    }

    public static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }
}
