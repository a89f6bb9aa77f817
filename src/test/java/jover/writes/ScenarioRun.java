package jover.writes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import jover.sys.DirEntry;
import jover.sys.ErrnoException;
import jover.sys.Raw;
import jover.sys.Stat;
import jover.sys.Sys;
import jover.testing.JoverMount;
import jover.testing.KernelOverlay;
import jover.testing.LayerWriter;
import jover.testing.MountFixture;
import jover.testing.TreeSnapshot;
import jover.testing.TreeSpec;
import jover.testing.UpperSnapshot;
import jover.testing.WhiteoutForm;

/**
 * Runs one {@link Scenario} on kernel overlayfs and (unless kernel-only) on jover, each on its
 * own copy of the layers, and gathers every finding instead of stopping at the first:
 * <ol>
 *   <li>the outcome of each op (ok or errno) on both, and the kernel's against the scenario's
 *       expectation;</li>
 *   <li>after each op, the merged trees ({@link TreeSnapshot}: types, modes, owners, sizes,
 *       contents, link targets, user xattrs, nlink of non-directories, mtimes, where a time set
 *       "now" during the run reads as NOW) and each mount's own consistency (d_ino = st_ino,
 *       d_type, no shared st_ino, no overlay-private xattr listed);</li>
 *   <li>within each mount, st_ino of every path against a model that follows the ops' effects
 *       (copy-up keeps the number; a rename moves it; a link shares it);</li>
 *   <li>after unmounting, the upper directories' format ({@link UpperSnapshot}: whiteouts,
 *       opaque dirs, origin, impure);</li>
 *   <li>both ways: kernel overlayfs on jover's upper shows jover's final view, jover on the
 *       kernel's upper shows the kernel's final view; and each implementation remounted on its own
 *       upper shows the same view with the same st_ino per path.</li>
 * </ol>
 */
final class ScenarioRun {
    /** One implementation's copy: layers, upper, work dir, mount point and model. */
    private static final class Side {
        final String name;
        final Path base;
        List<Path> lowers;
        Path upper;
        Path work;
        Path mnt;
        String root;
        AutoCloseable mount;
        JoverMount jover;
        final Map<String, Long> model = new HashMap<>();
        TreeSnapshot last;
        TreeSnapshot finalView;

        Side(String name, Path base) {
            this.name = name;
            this.base = base;
        }

        boolean isJover() {
            return name.equals("jover");
        }

        String output() {
            return jover == null ? "" : jover.output();
        }
    }

    private final Scenario sc;
    private final MountFixture fx;
    private final boolean withJover;
    private final long since;
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    /** The unprivileged callers' processes, closed with the test's mounts. */
    private final OpChild.Children children;
    private int treeDiffsReported;

    ScenarioRun(Scenario sc, MountFixture fx, boolean withJover) {
        this.sc = sc;
        this.fx = fx;
        this.withJover = withJover;
        this.since = System.currentTimeMillis() / 1000 - 5;
        this.children = fx.track(new OpChild.Children());
    }

    List<String> failures() {
        return failures;
    }

    List<String> notes() {
        return notes;
    }

    /** The whole report: failures, then notes, then the op log. */
    String report() {
        StringBuilder b = new StringBuilder("scenario '" + sc.name + "'" + (withJover ? " (kernel vs jover)"
                : " (kernel only)") + ": " + failures.size() + " finding(s)\n");
        for (String f : failures) {
            b.append("- ").append(f.replace("\n", "\n  ")).append('\n');
        }
        if (!notes.isEmpty()) {
            b.append("notes:\n");
            notes.forEach(n -> b.append("  ").append(n).append('\n'));
        }
        b.append("ops:\n");
        log.forEach(l -> b.append("  ").append(l).append('\n'));
        b.append("initial layers (upper first):\n").append(sc.initialSpec().describe());
        return b.toString();
    }

    void run() throws Exception {
        Path dir = fx.newDir("w-" + sc.name.replaceAll("[^A-Za-z0-9]+", "-"));
        Side kernel = prepare(new Side("kernel", dir.resolve("k")));
        kernel.mount = fx.kernel(kernel.lowers, Optional.of(kernel.upper), Optional.of(kernel.work), kernel.mnt,
                false);
        Side jover = null;
        if (withJover) {
            jover = prepare(new Side("jover", dir.resolve("j")));
            jover.jover = fx.jover(jover.lowers, Optional.of(jover.upper), Optional.of(jover.work), jover.mnt, false);
            jover.mount = jover.jover;
        }
        List<Side> sides = jover == null ? List.of(kernel) : List.of(kernel, jover);
        for (Side s : sides) {
            s.root = Raw.of(s.mnt);
            s.last = TreeSnapshot.of(s.mnt);
            s.model.putAll(s.last.inos());
            checkConsistency(s, s.last, "initially");
        }
        String initial = sc.initialSpec().expectedView().diff(kernel.last, "spec", "kernel");
        if (!initial.isEmpty()) {
            failures.add("the kernel's initial view is not what the layers imply (test tooling?)\n" + initial);
        }
        if (jover != null) {
            compareTrees(kernel.last, jover.last, "initially");
        }

        for (int i = 0; i < sc.ops.size(); i++) {
            Op op = sc.ops.get(i);
            String step = "op " + i + " '" + op.describe() + "'";
            String k = runOp(i, op, kernel);
            String kCall = Ops.LAST_FAILED_CALL.get();
            String j = jover == null ? null : runOp(i, op, jover);
            String jCall = Ops.LAST_FAILED_CALL.get();
            log.add(i + ": " + op.describe() + " => kernel " + k + (kCall.isEmpty() ? "" : " [" + kCall + "]")
                    + (j == null ? "" : ", jover " + j + (jCall.isEmpty() ? "" : " [" + jCall + "]"))
                    + (op.expect == null ? "" : " (expected " + op.expect + ")"));
            if (!op.matchesExpectation(k)) {
                failures.add(step + ": kernel gave " + k + ", the scenario expects " + op.expect);
            }
            if (j != null && !j.equals(k)) {
                String msg = step + ": kernel gave " + k + ", jover gave " + j
                        + (jCall.isEmpty() ? "" : " (failing call: " + jCall + ")");
                if (op.deliberate != null) {
                    notes.add("deliberate difference (" + op.deliberate + "): " + msg);
                } else {
                    failures.add(msg);
                }
            }
            for (Side s : sides) {
                TreeSnapshot now = TreeSnapshot.of(s.mnt);
                String outcome = s == kernel ? k : j;
                if (op.succeeded(outcome)) {
                    applyEffect(s.model, op.effect);
                    s.model.keySet().removeAll(op.renumbered);
                }
                checkModel(s, now, "after " + step);
                checkConsistency(s, now, "after " + step);
                s.last = now;
            }
            if (jover != null) {
                compareTrees(kernel.last, jover.last, "after " + step);
            }
        }

        // final views, then unmount and look at the uppers
        for (Side s : sides) {
            s.finalView = s.last;
            s.mount.close();
        }
        UpperSnapshot kUpper = UpperSnapshot.of(kernel.upper);
        notes.add("kernel's upper after the ops:\n" + kUpper.describe());
        if (jover != null) {
            UpperSnapshot jUpper = UpperSnapshot.of(jover.upper);
            String d = kUpper.diff(jUpper, "kernel's upper", "jover's upper");
            if (!d.isEmpty()) {
                failures.add("the upper directories differ in format:\n" + d);
            }
        }

        // remount each on its own upper: same view, same st_ino per path
        remountSame(kernel, dir);
        if (jover != null) {
            remountSame(jover, dir);
            crossMount(kernel, jover, dir);
        }
        if (jover != null && !failures.isEmpty()) {
            notes.add(jover.output());
        }
    }

    /**
     * Writes the layers and the upper, then has kernel overlayfs walk the upper once (own work
     * dir): on its first lookup of a merged directory whose upper part has no
     * trusted.overlay.origin, the kernel writes one and marks the parent impure, so an upper
     * written by hand would differ from the start between the two sides. After this the upper
     * is as the kernel leaves it, and both sides start from that.
     */
    private Side prepare(Side s) throws IOException {
        s.lowers = LayerWriter.write(sc.lowers, WhiteoutForm.KERNEL, s.base.resolve("layers"));
        s.upper = s.base.resolve("upper");
        s.work = s.base.resolve("work");
        LayerWriter.writeLayer(sc.upper, WhiteoutForm.KERNEL, s.upper);
        Files.createDirectories(s.work);
        s.mnt = Files.createDirectories(s.base.resolve("mnt"));
        Path primeWork = Files.createDirectories(s.base.resolve("prime-work"));
        Path primeMnt = Files.createDirectories(s.base.resolve("prime-mnt"));
        try (KernelOverlay k = KernelOverlay.mount(s.lowers, Optional.of(s.upper), Optional.of(primeWork), primeMnt,
                false)) {
            TreeSnapshot.of(primeMnt);
        }
        return s;
    }

    private String runOp(int index, Op op, Side s) {
        if (op.kind == Op.Kind.IN_PROCESS) {
            return Ops.outcome(op.action, s.root);
        }
        Ops.LAST_FAILED_CALL.set("");
        return children.run(sc, index, op, s.root);
    }

    // ---- comparisons ----

    /** mtimes set to "now" during the run read as -1 (NOW): they cannot be equal on two mounts. */
    private TreeSnapshot normalize(TreeSnapshot t) {
        return t.map(e -> e.mtimeSec() >= since ? new TreeSnapshot.Entry(e.type(), e.mode(), e.uid(), e.gid(),
                e.size(), e.sha256(), e.target(), e.xattrs(), e.nlink(), -1, 0) : e);
    }

    /**
     * Reports tree differences the previous step did not already have (one wrong mtime would
     * otherwise hide every later difference), at most 8 times per scenario.
     */
    private void compareTrees(TreeSnapshot kernel, TreeSnapshot jover, String when) {
        TreeSnapshot k = normalize(kernel);
        TreeSnapshot j = normalize(jover);
        java.util.Set<String> now = new java.util.TreeSet<>();
        java.util.Set<String> paths = new java.util.TreeSet<>(k.entries().keySet());
        paths.addAll(j.entries().keySet());
        StringBuilder b = new StringBuilder();
        for (String p : paths) {
            TreeSnapshot.Entry ke = k.entries().get(p);
            TreeSnapshot.Entry je = j.entries().get(p);
            if (java.util.Objects.equals(ke, je)) {
                continue;
            }
            String line = "  /" + Raw.display(p) + "\n    kernel: " + (ke == null ? "(absent)" : ke.describe())
                    + "\n    jover:  " + (je == null ? "(absent)" : je.describe());
            now.add(line);
            if (!lastTreeDiff.contains(line)) {
                b.append(line).append('\n');
            }
        }
        lastTreeDiff = now;
        if (b.length() > 0) {
            treeDiffsReported++;
            if (treeDiffsReported <= 8) {
                failures.add("merged trees differ " + when + " (new differences only; mtime -1 = set during the run):\n"
                        + b);
            } else if (treeDiffsReported == 9) {
                failures.add("(further tree differences not reported)");
            }
        }
    }

    private java.util.Set<String> lastTreeDiff = java.util.Set.of();

    /**
     * The mount's own anomalies (see {@link TreeSnapshot#anomalies()}). The kernel's are noted,
     * not failed: it is the reference, and it has some (a merged upper dir written without an
     * origin xattr lists a d_ino other than its st_ino; an xattr trusted.overlay.X set through the
     * mount is stored escaped and listed). jover's fail unless the kernel had the same one at the
     * same step; anything trusted.* other than overlay's own is the scenario's doing.
     */
    private void checkConsistency(Side s, TreeSnapshot t, String when) {
        List<String> anomalies = new ArrayList<>();
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (String a : t.anomalies()) {
            if (a.startsWith("private xattr listed") && !a.contains("overlay.")) {
                continue;
            }
            keys.add(TreeSnapshot.anomalyKey(a));
            if (!reportedAnomalies.add(s.name + " " + TreeSnapshot.anomalyKey(a))) {
                continue; // reported at an earlier step
            }
            if (!s.isJover()) {
                notes.add("kernel " + when + ": " + a);
            } else if (!kernelAnomalies.contains(TreeSnapshot.anomalyKey(a))) {
                anomalies.add(a);
            }
        }
        if (!s.isJover()) {
            kernelAnomalies = keys;
        }
        if (!anomalies.isEmpty()) {
            failures.add(s.name + " is inconsistent " + when + " (first seen here):\n  "
                    + String.join("\n  ", anomalies));
        }
    }

    private java.util.Set<String> kernelAnomalies = java.util.Set.of();
    private final java.util.Set<String> reportedAnomalies = new java.util.HashSet<>();

    /** The model's st_ino per path against the mount's (paths the model does not know are adopted). */
    private void checkModel(Side s, TreeSnapshot now, String when) {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, Long> e : now.inos().entrySet()) {
            Long want = s.model.get(e.getKey());
            if (want == null) {
                s.model.put(e.getKey(), e.getValue());
            } else if (!want.equals(e.getValue())) {
                bad.add("/" + Raw.display(e.getKey()) + ": st_ino " + want + " became " + e.getValue());
                s.model.put(e.getKey(), e.getValue());
            }
        }
        s.model.keySet().removeIf(p -> !now.inos().containsKey(p));
        if (!bad.isEmpty()) {
            failures.add(s.name + ": inode numbers changed " + when + ":\n  " + String.join("\n  ", bad));
        }
    }

    /** Moves identities in the model as a successful op does. */
    static void applyEffect(Map<String, Long> model, Op.Effect effect) {
        if (effect instanceof Op.Create c) {
            for (String p : c.paths()) {
                removeTree(model, p);
            }
        } else if (effect instanceof Op.Remove r) {
            removeTree(model, r.path());
        } else if (effect instanceof Op.Move m) {
            if (m.from().equals(m.to())) {
                return;
            }
            Map<String, Long> moved = subtree(model, m.from());
            removeTree(model, m.from());
            removeTree(model, m.to());
            moved.forEach((rel, ino) -> model.put(rel.isEmpty() ? m.to() : m.to() + "/" + rel, ino));
        } else if (effect instanceof Op.Exchange x) {
            Map<String, Long> a = subtree(model, x.a());
            Map<String, Long> b = subtree(model, x.b());
            removeTree(model, x.a());
            removeTree(model, x.b());
            a.forEach((rel, ino) -> model.put(rel.isEmpty() ? x.b() : x.b() + "/" + rel, ino));
            b.forEach((rel, ino) -> model.put(rel.isEmpty() ? x.a() : x.a() + "/" + rel, ino));
        } else if (effect instanceof Op.Link l) {
            Long ino = model.get(l.from());
            removeTree(model, l.to());
            if (ino != null) {
                model.put(l.to(), ino);
            }
        }
    }

    private static Map<String, Long> subtree(Map<String, Long> model, String p) {
        Map<String, Long> out = new HashMap<>();
        model.forEach((k, v) -> {
            if (k.equals(p)) {
                out.put("", v);
            } else if (k.startsWith(p + "/")) {
                out.put(k.substring(p.length() + 1), v);
            }
        });
        return out;
    }

    private static void removeTree(Map<String, Long> model, String p) {
        model.keySet().removeIf(k -> k.equals(p) || k.startsWith(p + "/"));
    }

    // ---- after unmounting ----

    private void remountSame(Side s, Path dir) throws Exception {
        Path mnt = Files.createDirectories(dir.resolve(s.name + "-remount"));
        TreeSnapshot again;
        if (s.isJover()) {
            try (JoverMount m = fx.jover(s.lowers, Optional.of(s.upper), Optional.of(s.work), mnt, false)) {
                again = TreeSnapshot.of(mnt);
            }
        } else {
            try (KernelOverlay m = fx.kernel(s.lowers, Optional.of(s.upper), Optional.of(s.work), mnt, false)) {
                again = TreeSnapshot.of(mnt);
            }
        }
        if (!s.isJover()) {
            kernelRemountAnomalies = new java.util.HashSet<>();
            again.anomalies().forEach(a -> kernelRemountAnomalies.add(TreeSnapshot.anomalyKey(a)));
        } else {
            List<String> bad = new ArrayList<>();
            for (String a : again.anomalies()) {
                if (!(a.startsWith("private xattr listed") && !a.contains("overlay."))
                        && !kernelRemountAnomalies.contains(TreeSnapshot.anomalyKey(a))) {
                    bad.add(a);
                }
            }
            if (!bad.isEmpty()) {
                failures.add("jover remounted on its own upper is inconsistent:\n  " + String.join("\n  ", bad));
            }
        }
        String d = normalize(s.finalView).diff(normalize(again), s.name + " before unmount",
                s.name + " remounted on its own upper", 20);
        if (!d.isEmpty()) {
            failures.add(s.name + " shows another tree after a remount on its own upper:\n" + d);
        }
        List<String> moved = new ArrayList<>();
        s.finalView.inos().forEach((p, ino) -> {
            Long now = again.inos().get(p);
            if (now != null && !now.equals(ino)) {
                moved.add("/" + Raw.display(p) + ": " + ino + " -> " + now);
            }
        });
        if (!moved.isEmpty()) {
            failures.add(s.name + ": st_ino changed across a remount on its own upper:\n  "
                    + String.join("\n  ", moved));
        }
    }

    private java.util.Set<String> kernelRemountAnomalies = java.util.Set.of();

    private void crossMount(Side kernel, Side jover, Path dir) throws Exception {
        // kernel overlayfs on jover's upper (fresh work dir)
        Path kWork = Files.createDirectories(dir.resolve("j/work-for-kernel"));
        Path kMnt = Files.createDirectories(dir.resolve("kernel-on-jover-upper"));
        TreeSnapshot kOnJ;
        try (KernelOverlay m = fx.kernel(jover.lowers, Optional.of(jover.upper), Optional.of(kWork), kMnt, false)) {
            kOnJ = TreeSnapshot.of(kMnt);
        }
        String d = normalize(jover.finalView).diff(normalize(kOnJ), "jover", "kernel on jover's upper", 20);
        if (!d.isEmpty()) {
            failures.add("kernel overlayfs on jover's upper shows another tree than jover did:\n" + d);
        }
        List<String> anomalies = new ArrayList<>(kOnJ.anomalies());
        anomalies.removeIf(a -> a.startsWith("private xattr listed") && !a.contains("overlay.")
                || kernelRemountAnomalies.contains(TreeSnapshot.anomalyKey(a)));
        if (!anomalies.isEmpty()) {
            failures.add("kernel overlayfs on jover's upper is inconsistent (missing impure/origin?):\n  "
                    + String.join("\n  ", anomalies) + "\n(anomalies the kernel also has on its own upper are left out)");
        }
        // where each st_ino comes from: the same layer file on both kernel mounts
        SortedMap<String, String> kClasses = inoClasses(kernel.finalView, kernel.lowers, kernel.upper);
        SortedMap<String, String> jClasses = inoClasses(kOnJ, jover.lowers, jover.upper);
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, String> e : kClasses.entrySet()) {
            String other = jClasses.get(e.getKey());
            if (other != null && !other.equals(e.getValue())) {
                differ.add("/" + Raw.display(e.getKey()) + ": kernel's own upper gives st_ino of " + e.getValue()
                        + ", jover's upper gives " + other);
            }
        }
        if (!differ.isEmpty()) {
            failures.add("kernel overlayfs takes st_ino from other files on jover's upper (origin xattrs?):\n  "
                    + String.join("\n  ", differ));
        }

        // jover on the kernel's upper (fresh work dir)
        Path jWork = Files.createDirectories(dir.resolve("k/work-for-jover"));
        Path jMnt = Files.createDirectories(dir.resolve("jover-on-kernel-upper"));
        TreeSnapshot jOnK;
        try (JoverMount m = fx.jover(kernel.lowers, Optional.of(kernel.upper), Optional.of(jWork), jMnt, false)) {
            jOnK = TreeSnapshot.of(jMnt);
        }
        d = normalize(kernel.finalView).diff(normalize(jOnK), "kernel", "jover on the kernel's upper", 20);
        if (!d.isEmpty()) {
            failures.add("jover on the kernel's upper shows another tree than the kernel did:\n" + d);
        }
        anomalies = new ArrayList<>(jOnK.anomalies());
        anomalies.removeIf(a -> a.startsWith("private xattr listed") && !a.contains("overlay.")
                || kernelRemountAnomalies.contains(TreeSnapshot.anomalyKey(a)));
        if (!anomalies.isEmpty()) {
            failures.add("jover on the kernel's upper is inconsistent:\n  " + String.join("\n  ", anomalies));
        }
    }

    /**
     * For a kernel mount (same filesystem, xino off: st_ino is a layer file's own number): per
     * path, the layer file whose number it shows ("L0/a/b", "U/a/b"), or "?".
     */
    private static SortedMap<String, String> inoClasses(TreeSnapshot view, List<Path> lowers, Path upper) {
        Map<Long, String> host = new HashMap<>();
        for (int i = lowers.size() - 1; i >= 0; i--) {
            hostInos(Raw.of(lowers.get(i)), "", "L" + i, host);
        }
        hostInos(Raw.of(upper), "", "U", host);
        SortedMap<String, String> out = new TreeMap<>();
        view.inos().forEach((p, ino) -> out.put(p, host.getOrDefault(ino, "?")));
        return out;
    }

    private static void hostInos(String root, String rel, String label, Map<Long, String> out) {
        String path = rel.isEmpty() ? root : root + "/" + rel;
        try {
            Stat st = Sys.lstat(path);
            out.putIfAbsent(st.ino(), label + "/" + rel);
            if (st.isDir()) {
                List<String> names = new ArrayList<>();
                for (DirEntry d : Sys.listDir(path)) {
                    if (!d.isDotOrDotDot()) {
                        names.add(d.name());
                    }
                }
                names.sort(null);
                for (String n : names) {
                    hostInos(root, TreeSpec.child(rel, n), label, out);
                }
            }
        } catch (ErrnoException e) {
            out.putIfAbsent(-1L, label + "/" + rel + " unreadable");
        }
    }
}
