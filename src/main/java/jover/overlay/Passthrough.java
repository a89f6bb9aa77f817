package jover.overlay;

import java.util.List;
import jover.fuse.server.Kernel;
import jover.fuse.server.OpenReply;
import jover.node.BackingIds;
import jover.node.Node;
import jover.node.NodeTable;
import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Fd;
import jover.sys.Linux;

/**
 * The passthrough data path: the kernel reads and writes the real file through a backing id,
 * one per node, registered on the node's first open and closed after its last release (see
 * {@link BackingIds}); and the copy-up hazard that comes with it.
 */
final class Passthrough {
    private final Kernel kernel;
    private final List<LayerReader> readers;
    private final NodeTable<Entry> nodes;
    private final NodeLocks locks;
    private final CopyUp copyUp;
    private final OpenFiles files;
    private final BackingIds backing;

    Passthrough(Kernel kernel, List<LayerReader> readers, NodeTable<Entry> nodes, NodeLocks locks, CopyUp copyUp,
                OpenFiles files) {
        this.locks = locks;
        this.kernel = kernel;
        this.readers = readers;
        this.nodes = nodes;
        this.copyUp = copyUp;
        this.files = files;
        this.backing = new BackingIds(kernel::backingClose);
    }

    /**
     * The copy-up hazard under passthrough: the kernel allows one backing file per inode while
     * it has opens, so an inode reading a lower file cannot also get the upper copy. When an open
     * needs the upper copy of such a node (a write, or a read after an in-place copy-up), the
     * name moves to a new node: copy up beside the old one, drop the old one from the name, tell
     * the kernel to forget its entry, and answer ESTALE. The VFS retries the open once with a
     * fresh lookup, which finds the new node. Old descriptors keep reading the lower file.
     */
    void beforeOpen(Node<Entry> n, boolean write) throws ErrnoException {
        BackingIds.Backing live = backing.get(n.id());
        if (live == null || live.layer() == Layer.UPPER || !write && live.layer() == n.payload().layer()) {
            return;
        }
        NodeTable.Location<Entry> at = locks.with(n, () -> {
            NodeTable.Location<Entry> here = nodes.locate(n);
            if (nodes.child(here.parent(), here.name()) == n) {
                if (write && !CopyUp.inUpper(n.payload())) {
                    copyUp.ensure(here.parent());
                    copyUp.copyBeside(n);
                }
                nodes.detach(here.parent(), here.name());
            }
            return here;
        });
        kernel.invalidateEntry(at.parent().id(), at.name());
        throw new ErrnoException(Errno.ESTALE, "open", nodes.path(n));
    }

    /**
     * Registers one more passthrough open of {@code n} and answers it: the node's backing file
     * (registered on its first open) or, where the kernel refuses one (a stacked filesystem:
     * ELOOP), userspace I/O for as long as the node has opens. {@code anon}: an O_TMPFILE file's
     * descriptor, else null.
     */
    OpenReply reply(Node<Entry> n, long fh, Fd anon) throws ErrnoException {
        int id;
        try {
            id = backing.acquire(n.id(), n.payload().layer(), () -> registerBacking(n, anon));
        } catch (ErrnoException | RuntimeException e) {
            files.release(fh);
            throw e;
        }
        files.get(fh).backed = true;
        return id > 0 ? OpenReply.passthrough(fh, id) : OpenReply.pageCache(fh);
    }

    private int registerBacking(Node<Entry> n, Fd anon) throws ErrnoException {
        if (anon != null) {
            return kernel.backingOpen(anon);
        }
        Entry e = n.payload();
        try (Fd file = readers.get(e.layer()).open(nodes.path(n), Linux.O_PATH)) {
            return kernel.backingOpen(file);
        } catch (ErrnoException ex) {
            if (ex.errno() == Errno.ELOOP || ex.errno() == Errno.EPERM || ex.errno() == Errno.EOPNOTSUPP) {
                return 0; // the kernel will not pass this file through: serve it in userspace
            }
            throw ex;
        }
    }

    /** One passthrough open of {@code n} was released. */
    void released(Node<Entry> n) {
        backing.release(n.id());
    }
}
