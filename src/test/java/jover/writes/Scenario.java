package jover.writes;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import jover.testing.TreeSpec;

/**
 * One differential case: lower layers (topmost first), an upper that may already hold entries
 * (written in kernel format: char 0/0 whiteouts, trusted.overlay.opaque=y), and operations done
 * in order through the mount. The same scenario runs on kernel overlayfs and on jover.
 */
final class Scenario {
    final String name;
    final TreeSpec lowers;
    final TreeSpec.Layer upper;
    final List<Op> ops;

    private Scenario(String name, TreeSpec lowers, TreeSpec.Layer upper, List<Op> ops) {
        this.name = name;
        this.lowers = lowers;
        this.upper = upper;
        this.ops = List.copyOf(ops);
    }

    /** Upper and lowers as one spec (upper first): what the merged view starts as. */
    TreeSpec initialSpec() {
        List<TreeSpec.Layer> all = new ArrayList<>();
        all.add(upper);
        all.addAll(lowers.layers());
        return new TreeSpec(all);
    }

    static Builder named(String name) {
        return new Builder(name);
    }

    @Override
    public String toString() {
        return name;
    }

    static final class Builder {
        private final String name;
        private TreeSpec lowers;
        private TreeSpec.Layer upper;
        private final List<Op> ops = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** The lower layers: call {@code b.layer()} once per layer, topmost first. */
        Builder lowers(Consumer<TreeSpec.Builder> spec) {
            TreeSpec.Builder b = TreeSpec.builder();
            spec.accept(b);
            lowers = b.build();
            return this;
        }

        /** Entries already in the upper (kernel format). */
        Builder upper(Consumer<TreeSpec.LayerBuilder> spec) {
            TreeSpec.Builder b = TreeSpec.builder();
            spec.accept(b.layer());
            upper = b.build().layers().get(0);
            return this;
        }

        Builder op(Op op) {
            ops.add(op);
            return this;
        }

        /** The op, expecting this outcome from kernel overlayfs ("ok" or an errno name). */
        Builder op(Op op, String expect) {
            ops.add(op.expect(expect));
            return this;
        }

        Scenario build() {
            if (lowers == null) {
                throw new IllegalStateException(name + ": no lower layers");
            }
            if (upper == null) {
                upper(u -> { });
            }
            return new Scenario(name, lowers, upper, ops);
        }
    }
}
