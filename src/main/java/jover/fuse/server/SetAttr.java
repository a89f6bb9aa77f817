package jover.fuse.server;

/**
 * What SETATTR changes. A field that is not to change is -1 ({@code size}, {@code mode},
 * {@code uid}, {@code gid}: chown(2)'s "unchanged" value) or null (a time).
 *
 * @param fh    the open file the change came through, or -1
 * @param size  the new size (truncate), or -1
 * @param mode  the new permission bits (07777), or -1
 * @param uid   the new owner as the caller sees it, or -1
 * @param gid   the new group as the caller sees it, or -1
 * @param atime the new access time, or null
 * @param mtime the new modification time, or null
 */
public record SetAttr(long fh, long size, int mode, int uid, int gid, Time atime, Time mtime) {
    /** A time to set: {@code sec}/{@code nsec}, or the current time when {@code now}. */
    public record Time(long sec, int nsec, boolean now) {
        public static final Time NOW = new Time(0, 0, true);
    }

    /** Nothing changes (a SETATTR of fields jover ignores, such as ctime alone). */
    public static final SetAttr NOTHING = new SetAttr(-1, -1, -1, -1, -1, null, null);

    public boolean changesOwner() {
        return uid != -1 || gid != -1;
    }

    public boolean changesTimes() {
        return atime != null || mtime != null;
    }
}
