package jover.differential;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import jover.testing.WhiteoutForm;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;

/**
 * One generated case: lower layers, the whiteout form jover's copy is written in (the kernel's
 * copy is always in kernel format), the callers' umask, and the operations. The generators draw
 * every choice as a bounded integer, so QuickTheories shrinks each towards 0: fewer layers and
 * entries, kernel form, umask 022, root as the caller, and STAT as the operation.
 */
record Example(LowerTree tree, int form, int umask, int cache, List<Op> ops) {

    Example {
        ops = List.copyOf(ops);
    }

    WhiteoutForm whiteoutForm() {
        return WhiteoutForm.values()[Math.floorMod(form, WhiteoutForm.values().length)];
    }

    int umaskValue() {
        return Pool.pick(Pool.UMASKS, umask);
    }

    Example withOps(List<Op> newOps) {
        return new Example(tree, form, umask, cache, newOps);
    }

    Example withTree(LowerTree newTree) {
        return new Example(newTree, form, umask, cache, ops);
    }

    /**
     * jover's own mount options of this example: the default kernel cache time (a day: the
     * kernel answers most lookups and stats itself) or timeout=0 (every stat reaches jover).
     */
    List<String> joverOptions() {
        return Math.floorMod(cache, 2) == 0 ? List.of() : List.of("timeout=0");
    }

    boolean usesUser() {
        return ops.stream().anyMatch(o -> o.who() == 1);
    }

    /** Everything needed to reproduce the case by hand. */
    String describe() {
        StringBuilder b = new StringBuilder();
        b.append("jover's layers in form ").append(whiteoutForm()).append(" (the kernel's in ")
                .append(whiteoutForm().kernelCounterpart()).append("), umask ")
                .append(String.format("%03o", umaskValue()))
                .append(joverOptions().isEmpty() ? "" : ", jover with -o " + String.join(",", joverOptions()))
                .append('\n');
        b.append("lower layers: ").append(tree.describe());
        b.append("operations (").append(ops.size()).append("):\n");
        for (int i = 0; i < ops.size(); i++) {
            b.append("  ").append(i).append(": ").append(ops.get(i).describe()).append('\n');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    // ---- generators ----

    /** Draws a bounded integer (shrinks towards 0). */
    private static int draw(RandomnessSource in, int max) {
        return integers().between(0, max).generate(in);
    }

    /** Draws an index by weight; shrinks towards the first. */
    private static int weighted(RandomnessSource in, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = draw(in, total - 1);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static final int[] GENE_KIND_WEIGHTS = {8, 10, 2, 3, 2, 1, 2}; // DIR FILE OPAQUE WHITEOUT SYMLINK FIFO HARDLINK

    static Gen<LowerTree.Gene> geneGen() {
        return in -> new LowerTree.Gene(draw(in, 3), draw(in, Pool.TREE_PATHS - 1),
                LowerTree.Kind.values()[weighted(in, GENE_KIND_WEIGHTS)], draw(in, 999), draw(in, 9), draw(in, 4),
                weighted(in, new int[] {6, 1, 1, 1}));
    }

    static Gen<LowerTree> trees(int maxGenes) {
        Gen<List<LowerTree.Gene>> list = lists().of(geneGen()).ofSizeBetween(0, maxGenes);
        return in -> new LowerTree(1 + draw(in, 3), weighted(in, new int[] {6, 1, 1}), list.generate(in));
    }

    /** Weights of the operation kinds, in {@link Op.Kind} order. */
    private static final int[] KIND_WEIGHTS = {
        6, 5, 2, 4, 2, 3, // STAT READDIR READLINK READ ACCESS XATTRS
        6, 7, 3, 5, 5, 2, 3, 3, 5, 3, 7, // OPEN WRITE TRUNCATE CREATE MKDIR MKNOD SYMLINK LINK UNLINK RMDIR RENAME
        3, 2, 2, 4, 2, 3, // CHMOD CHOWN UTIMES SETXATTR REMOVEXATTR RMRF
        2, 2, 1, 1, 1, 3, // FD_READ FD_WRITE FD_STAT FD_TRUNCATE FD_CLOSE READ_THEN_WRITE
    };

    private static final int P = Pool.PATHS.size() - 1;

    /** Inclusive bounds of a, b, c, d per kind. */
    private static int[] bounds(Op.Kind k) {
        return switch (k) {
            case STAT -> new int[] {P, 1, 0, 0};
            case READDIR, READLINK, XATTRS, UNLINK, RMDIR, RMRF -> new int[] {P, 0, 0, 0};
            case READ -> new int[] {P, Pool.OFFSETS.length - 1, Pool.READ_LENGTHS.length - 1, 0};
            case ACCESS -> new int[] {P, Pool.ACCESS_MODES.length - 1, 0, 0};
            case OPEN -> new int[] {P, Op.OPEN_FLAG_MIXES - 1, Pool.OP_MODES.length - 1, Pool.SLOTS};
            case WRITE -> new int[] {P, Pool.OFFSETS.length - 1, Pool.DATA_SIZES.length - 1, 2};
            case TRUNCATE -> new int[] {P, Pool.TRUNCATE_LENGTHS.length - 1, 0, 0};
            case CREATE -> new int[] {P, Pool.OP_MODES.length - 1, Pool.DATA_SIZES.length, 0};
            case MKDIR, CHMOD -> new int[] {P, Pool.OP_MODES.length - 1, 0, 0};
            case MKNOD -> new int[] {P, Op.MKNOD_TYPES - 1, Pool.OP_MODES.length - 1, 0};
            case SYMLINK -> new int[] {Pool.TARGETS.size() - 1, P, 0, 0};
            case LINK -> new int[] {P, P, 0, 0};
            case RENAME -> new int[] {P, P, Pool.RENAME_FLAGS.length - 1, 0};
            case CHOWN -> new int[] {P, Pool.CHOWN_IDS.length - 1, Pool.CHOWN_IDS.length - 1, 0};
            case UTIMES -> new int[] {P, Pool.TIMES.length - 1, 0, 0};
            case SETXATTR -> new int[] {P, Pool.SYNC_XATTR - 1, Pool.XATTR_VALUES.size() - 1, Pool.XATTR_FLAGS.length - 1};
            case REMOVEXATTR -> new int[] {P, Pool.SYNC_XATTR - 1, 0, 0};
            case FD_READ -> new int[] {Pool.SLOTS - 1, Pool.OFFSETS.length - 1, Pool.READ_LENGTHS.length - 1, 0};
            case FD_WRITE -> new int[] {Pool.SLOTS - 1, Pool.OFFSETS.length - 1, Pool.DATA_SIZES.length - 1, 0};
            case FD_STAT, FD_CLOSE -> new int[] {Pool.SLOTS - 1, 0, 0, 0};
            case FD_TRUNCATE -> new int[] {Pool.SLOTS - 1, Pool.TRUNCATE_LENGTHS.length - 1, 0, 0};
            case READ_THEN_WRITE -> new int[] {P, Pool.OFFSETS.length - 1, Pool.DATA_SIZES.length - 1, 0};
        };
    }

    /** One operation; about one in five is made by the unprivileged user. */
    static Gen<Op> opGen() {
        return in -> {
            Op.Kind kind = Op.Kind.values()[weighted(in, KIND_WEIGHTS)];
            int who = draw(in, 4) == 4 ? 1 : 0;
            int[] max = bounds(kind);
            return new Op(kind, who, draw(in, max[0]), draw(in, max[1]), draw(in, max[2]), draw(in, max[3]));
        };
    }

    static Gen<Example> examples(int maxGenes, int opCount) {
        Gen<LowerTree> trees = trees(maxGenes);
        Gen<List<Op>> ops = lists().of(opGen()).ofSize(opCount);
        return in -> {
            LowerTree t = trees.generate(in);
            int form = draw(in, WhiteoutForm.values().length - 1);
            int umask = weighted(in, new int[] {4, 1, 1, 1});
            int cache = draw(in, 1);
            List<Op> list = new ArrayList<>(ops.generate(in));
            return new Example(t, form, umask, cache, list);
        };
    }
}
