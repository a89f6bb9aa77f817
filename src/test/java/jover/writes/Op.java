package jover.writes;

import java.util.List;

/**
 * One step of a {@link Scenario}: a change (or a probe) made through the mount, with what it does
 * to the name space (for the inode-number model) and, optionally, the outcome kernel overlayfs
 * is expected to give ("ok", "ok DETAIL" or an errno name such as "EXDEV").
 *
 * <p>Three ways to run: in the test JVM as root ({@link Kind#IN_PROCESS}); in a child JVM that
 * runs as another user ({@link Kind#CHILD}: {@code setpriv --reuid --regid --clear-groups} then
 * {@link OpChild}, which looks the op up again by scenario name and index); or as a shell script
 * of such a user ({@link Kind#SHELL}), run in a directory of the mount.
 */
final class Op {
    /** What runs: {@code root} is the mount root as a raw string; returns a detail or null. */
    @FunctionalInterface
    interface Action {
        String run(String root) throws Exception;
    }

    enum Kind { IN_PROCESS, CHILD, SHELL }

    /** A caller other than the test JVM: uid, gid (no supplementary groups) and umask. */
    record Cred(int uid, int gid, int umask) {
        @Override
        public String toString() {
            return "uid " + uid + " gid " + gid + " umask " + String.format("%03o", umask);
        }
    }

    /** What a successful op does to names: moves identities around for the st_ino model. */
    sealed interface Effect permits None, Create, Remove, Move, Exchange, Link {
    }

    /** Nothing renamed, created or removed (data and attribute changes, probes, copy-up). */
    record None() implements Effect {
    }

    /** New files at these paths (whatever stood there is replaced). */
    record Create(List<String> paths) implements Effect {
    }

    /** The path and everything below it is gone. */
    record Remove(String path) implements Effect {
    }

    /** The subtree at {@code from} now lives at {@code to} (replacing what was there). */
    record Move(String from, String to) implements Effect {
    }

    /** The two subtrees swap places. */
    record Exchange(String a, String b) implements Effect {
    }

    /** {@code to} is a new name of the file at {@code from}. */
    record Link(String from, String to) implements Effect {
    }

    static final Effect NONE = new None();

    final String label;
    final Kind kind;
    final Action action;
    final String script;
    final String cwd;
    final Cred cred;
    final Effect effect;
    final String expect;
    final List<String> renumbered;
    String deliberate;

    private Op(String label, Kind kind, Action action, String script, String cwd, Cred cred, Effect effect,
            String expect, List<String> renumbered) {
        this.label = label;
        this.kind = kind;
        this.action = action;
        this.script = script;
        this.cwd = cwd;
        this.cred = cred;
        this.effect = effect;
        this.expect = expect;
        this.renumbered = List.copyOf(renumbered);
    }

    static Op of(String label, Action action, Effect effect) {
        return new Op(label, Kind.IN_PROCESS, action, null, null, null, effect, null, List.of());
    }

    /** A POSIX shell script run as {@code cred} in {@code cwd} (relative to the mount root). */
    static Op shell(String label, Cred cred, String cwd, String script, Effect effect) {
        return new Op(label, Kind.SHELL, null, script, cwd, cred, effect, null, List.of());
    }

    /** The same op, expecting this outcome from kernel overlayfs. */
    Op expect(String outcome) {
        Op o = new Op(label, kind, action, script, cwd, cred, effect, outcome, renumbered);
        o.deliberate = deliberate;
        return o;
    }

    /** The same op run by another user, in a child JVM. */
    Op as(Cred who) {
        if (kind == Kind.SHELL) {
            return new Op(label, kind, action, script, cwd, who, effect, expect, renumbered);
        }
        return new Op(label, Kind.CHILD, action, null, null, who, effect, expect, renumbered);
    }

    /**
     * The same op, where kernel overlayfs shows a new st_ino for these paths afterwards: with
     * index=off, a copied-up lower hard link (lower nlink > 1) reports the upper inode's number.
     * The model then adopts whatever number each mount shows.
     */
    Op renumbers(String... paths) {
        return new Op(label, kind, action, script, cwd, cred, effect, expect, List.of(paths));
    }

    /**
     * Marks a difference of jover's outcome on this op as one the README lists as deliberate:
     * reported as a note, not a failure (the trees are still compared).
     */
    Op deliberate(String readmeReason) {
        Op o = new Op(label, kind, action, script, cwd, cred, effect, expect, renumbered);
        o.deliberate = readmeReason;
        return o;
    }

    /** True when {@code outcome} is what {@link #expect} asks for ("ok" accepts any detail). */
    boolean matchesExpectation(String outcome) {
        if (expect == null) {
            return true;
        }
        if (expect.equals("ok")) {
            return outcome.equals("ok") || outcome.startsWith("ok ");
        }
        return expect.equals(outcome);
    }

    boolean succeeded(String outcome) {
        return outcome.equals("ok") || outcome.startsWith("ok ");
    }

    String describe() {
        String who = cred == null ? "" : " [as " + cred + "]";
        return label + who;
    }

    @Override
    public String toString() {
        return describe();
    }
}
