package jover.sys;

/** One record of getdents64: raw name, inode number and d_type. */
public record DirEntry(String name, long ino, int type) {
    public static final int DT_UNKNOWN = 0;
    public static final int DT_FIFO = 1;
    public static final int DT_CHR = 2;
    public static final int DT_DIR = 4;
    public static final int DT_BLK = 6;
    public static final int DT_REG = 8;
    public static final int DT_LNK = 10;
    public static final int DT_SOCK = 12;

    public boolean isDotOrDotDot() {
        return name.equals(".") || name.equals("..");
    }
}
