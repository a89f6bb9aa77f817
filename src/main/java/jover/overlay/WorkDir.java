package jover.overlay;

import java.util.concurrent.atomic.AtomicLong;
import jover.sys.DirEntry;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;
import jover.sys.Stat;
import jover.sys.Sys;

/**
 * The private staging area {@code WORKDIR/work}, the one kernel overlayfs uses: new objects
 * and copy-ups are built there under temporary names and renamed into the upper only when
 * complete, so a crash never shows a half-made file. Anything left there is debris of a crash
 * and is removed at mount. Everything here runs as root: the directory is mode 000.
 */
final class WorkDir implements AutoCloseable {
    private final Fd work;
    private final AtomicLong next = new AtomicLong();

    private WorkDir(Fd work) {
        this.work = work;
    }

    /** Opens (creating it if needed) {@code work} inside the open workdir, emptied of leftovers. */
    static WorkDir open(Fd workdir) throws ErrnoException {
        try {
            Sys.mkdirAt(workdir, "work", 0);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
        }
        Fd work = Sys.openBeneath(workdir, "work", Linux.O_RDONLY | Linux.O_DIRECTORY);
        WorkDir w = new WorkDir(work);
        for (DirEntry e : Sys.readDir(work)) {
            if (!e.isDotOrDotDot()) {
                w.remove(e.name());
            }
        }
        return w;
    }

    Fd fd() {
        return work;
    }

    /** A name not yet used in the work directory. */
    String tempName() {
        return "#jover" + Long.toHexString(next.incrementAndGet()) + "-" + Long.toHexString(System.nanoTime());
    }

    /** Removes {@code name} from the work directory, a whole tree if it is a directory. */
    void remove(String name) throws ErrnoException {
        removeTree(work, name);
    }

    /** Removes {@code name} in {@code dir} and, for a directory, all below it; never follows a symlink. */
    static void removeTree(Fd dir, String name) throws ErrnoException {
        Stat st = Sys.statAt(dir, name);
        if (st.isDir()) {
            try (Fd sub = Sys.openBeneath(dir, name, Linux.O_RDONLY | Linux.O_DIRECTORY)) {
                for (DirEntry e : Sys.readDir(sub)) {
                    if (!e.isDotOrDotDot()) {
                        removeTree(sub, e.name());
                    }
                }
            }
            Sys.unlinkAt(dir, name, Linux.AT_REMOVEDIR);
        } else {
            Sys.unlinkAt(dir, name, 0);
        }
    }

    @Override
    public void close() {
        work.close();
    }
}
