package jover.overlay;

import jover.sys.Stat;

/**
 * A file's identity: the device and inode number of a real file, in whatever role: the real
 * file a name resolves to, the file whose inode number a merged entry reports (its copy-up
 * origin), the key that makes hard links one node. FUSE node ids are another thing (the node
 * table's), and so are the st_ino numbers jover reports ({@link InodeNumbers} maps a FileId to
 * one).
 */
record FileId(long dev, long ino) {
    static FileId of(Stat st) {
        return new FileId(st.dev(), st.ino());
    }
}
