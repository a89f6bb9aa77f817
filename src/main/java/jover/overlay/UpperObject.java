package jover.overlay;

import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Stat;
import jover.sys.Sys;

/**
 * The upper object a change applies to: by name in its upper directory, or, once the node's
 * name is gone (unlinked, or now naming another file), through a descriptor of the node's own
 * open file, so that a change through a stale descriptor never reaches whatever now has the name.
 */
final class UpperObject {
    private final Fd dir;
    private final String name;
    private final Fd self;

    private UpperObject(Fd dir, String name, Fd self) {
        this.dir = dir;
        this.name = name;
        this.self = self;
    }

    static UpperObject named(Fd upperDir, String name) {
        return new UpperObject(upperDir, name, null);
    }

    static UpperObject open(Fd self) {
        return new UpperObject(null, null, self);
    }

    void truncate(long size) throws ErrnoException {
        if (self != null) {
            Sys.ftruncate(self, size);
            return;
        }
        try (Fd fd = Sys.openAt(dir, name, Linux.O_WRONLY | Linux.O_NOFOLLOW, 0)) {
            Sys.ftruncate(fd, size);
        }
    }

    void chown(int uid, int gid) throws ErrnoException {
        if (self != null) {
            Sys.fchown(self, uid, gid);
        } else {
            Sys.chownAt(dir, name, uid, gid);
        }
    }

    void chmod(int mode) throws ErrnoException {
        if (self != null) {
            Sys.fchmod(self, mode);
        } else {
            Sys.chmodAt(dir, name, mode);
        }
    }

    void utimens(long atime, long atimeNsec, long mtime, long mtimeNsec) throws ErrnoException {
        if (self != null) {
            Sys.futimens(self, atime, atimeNsec, mtime, mtimeNsec);
        } else {
            Sys.utimensAt(dir, name, atime, atimeNsec, mtime, mtimeNsec);
        }
    }

    void setxattr(String xname, byte[] value, int flags) throws ErrnoException {
        if (self != null) {
            Sys.fsetxattr(self, xname, value, flags);
        } else {
            Sys.setxattrAt(dir, name, xname, value, flags);
        }
    }

    void removexattr(String xname) throws ErrnoException {
        if (self != null) {
            Sys.fremovexattr(self, xname);
        } else {
            Sys.removexattrAt(dir, name, xname);
        }
    }

    Stat stat() throws ErrnoException {
        return self != null ? Sys.stat(self) : Sys.statAt(dir, name);
    }
}
