package jover.differential;

import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jover.testing.MountFixture;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.AsString;
import org.quicktheories.core.Reporter;

/**
 * The property "jover and kernel overlayfs show the same thing for every generated example",
 * checked with QuickTheories, plus what happens on failure: the seed, QuickTheories' shrunk
 * example, and a further minimization (drop the operations after the first differing step, then
 * each operation and each layer entry that is not needed, then simpler forms) that ends in the
 * reproduction printed in the report.
 *
 * <p>System properties: {@code jover.diff.examples} (default 16), {@code jover.diff.ops}
 * (operations per example, default 25), {@code jover.diff.genes} (layer entries at most, 24),
 * {@code jover.diff.seed} (replay one run), {@code jover.diff.shrinkCycles} (QuickTheories,
 * default 30), {@code jover.diff.minimizeSeconds} (default 120), {@code jover.diff.keepGoing}
 * (record each failing example and go on instead of stopping at the first, minimizing the first
 * example of each kind of difference; for exploration), {@code jover.diff.progress} (print a line
 * every N examples, default 0: never), {@code jover.diff.trees} (see {@link DifferentialRun}),
 * {@code jover.diff.verbose}.
 */
final class DifferentialProperty {

    record Config(int examples, int ops, int maxGenes, Long seed, int shrinkCycles, long minimizeSeconds,
            boolean keepGoing, int progress, DifferentialRun.Settings settings) {

        static Config fromSystemProperties(boolean passthroughOff) {
            return new Config(Integer.getInteger("jover.diff.examples", 16), Integer.getInteger("jover.diff.ops", 25),
                    Integer.getInteger("jover.diff.genes", 24), Long.getLong("jover.diff.seed"),
                    Integer.getInteger("jover.diff.shrinkCycles", 30), Long.getLong("jover.diff.minimizeSeconds", 120),
                    Boolean.getBoolean("jover.diff.keepGoing"), Integer.getInteger("jover.diff.progress", 0),
                    new DifferentialRun.Settings(passthroughOff));
        }

        String describe() {
            return examples + " examples of " + ops + " operations, at most " + maxGenes + " layer entries, "
                    + (settings.passthroughOff() ? "passthrough=off" : "passthrough default");
        }
    }

    private final Config cfg;
    private final MountFixture fx;
    private final Callers callers;
    private Example smallest;
    private int examplesRun;
    private int failures;
    private final List<String> recorded = new ArrayList<>();
    private final java.util.Map<String, Integer> signatures = new java.util.TreeMap<>();
    private final long started = System.nanoTime();

    DifferentialProperty(Config cfg, MountFixture fx, Callers callers) {
        this.cfg = cfg;
        this.fx = fx;
        this.callers = callers;
    }

    /** Checks the property; null when it holds, else the whole failure report. */
    String check() {
        long[] seedSeen = {0};
        Reporter reporter = new Reporter() {
            @Override
            public void falisification(long seed, int examples, Object smallestFound, Throwable cause,
                    List<Object> others, AsString<Object> asString) {
                seedSeen[0] = seed;
                throw new QtFailure(seed, examples, cause);
            }

            @Override
            public void falisification(long seed, int examples, Object smallestFound, List<Object> others,
                    AsString<Object> asString) {
                seedSeen[0] = seed;
                throw new QtFailure(seed, examples, null);
            }

            @Override
            public void valuesExhausted(int examples) {
            }
        };
        QuickTheory q = qt().withExamples(cfg.examples()).withShrinkCycles(cfg.shrinkCycles())
                .withUnlimitedTestingTime().withGenerateAttempts(10).withReporter(reporter);
        if (cfg.seed() != null) {
            q = q.withFixedSeed(cfg.seed());
        }
        try {
            q.forAll(Example.examples(cfg.maxGenes(), cfg.ops())).checkAssert(this::checkOne);
        } catch (QtFailure f) {
            return failureReport(f);
        }
        if (cfg.keepGoing() && !recorded.isEmpty()) {
            return failures + " failing example(s) among " + examplesRun + " (" + cfg.describe() + "), by kind: "
                    + signatures + "\n\n" + String.join("\n\n", recorded);
        }
        System.out.printf(Locale.ROOT, "jover differential: %d examples passed (%s) in %.0f s; deliberate differences "
                + "met: %s%n", examplesRun, cfg.describe(), seconds(), DeliberateDifferences.counts());
        return null;
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** The failure QuickTheories reports after shrinking; carries its seed. */
    private static final class QtFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long seed;
        final int examples;

        QtFailure(long seed, int examples, Throwable cause) {
            super("falsified", cause);
            this.seed = seed;
            this.examples = examples;
        }
    }

    private void checkOne(Example ex) {
        examplesRun++;
        DifferentialRun run = runOnce(ex);
        if (cfg.progress() > 0 && examplesRun % cfg.progress() == 0) {
            System.out.printf(Locale.ROOT, "jover differential: %d examples, %d failing, %.0f s; deliberate: %s; "
                    + "ms per phase: %s%n", examplesRun, failures, seconds(), DeliberateDifferences.counts(),
                    DifferentialRun.PHASES);
        }
        if (Boolean.getBoolean("jover.diff.verbose")) {
            System.out.println("example " + examplesRun + ":\n" + ex.describe() + run.report());
        }
        if (run.findings().isEmpty()) {
            return;
        }
        failures++;
        if (cfg.keepGoing()) {
            String sig = run.signature();
            int seen = signatures.merge(sig, 1, Integer::sum);
            if (seen > 1) {
                System.out.println("jover differential: example " + examplesRun + " fails again with: " + sig);
                return;
            }
            Example min = minimize(truncate(ex, run), sig);
            DifferentialRun again = runOnce(min);
            String rec = "failing example #" + failures + " (example " + examplesRun + ", " + sig + "), minimized:\n"
                    + min.describe() + again.report();
            recorded.add(rec);
            System.out.println("jover differential: " + rec);
            return;
        }
        if (smallest == null || size(ex) <= size(smallest)) {
            smallest = ex;
        }
        throw new AssertionError(run.report());
    }

    private static int size(Example ex) {
        return ex.ops().size() * 100 + ex.tree().genes().size();
    }

    private static volatile boolean stopping;

    /** Makes every later example end at once (the JVM is shutting down). */
    static void stop() {
        stopping = true;
    }

    /** Runs one example with fresh directories and mounts, released before returning. */
    DifferentialRun runOnce(Example ex) {
        DifferentialRun run = new DifferentialRun(ex, cfg.settings(), fx, callers);
        if (stopping) {
            run.findings().add("stopped");
            return run;
        }
        try {
            run.run();
        } catch (Exception e) {
            run.findings().add("the run failed: " + e + stack(e));
        } finally {
            long t = System.nanoTime();
            try {
                fx.cleanup();
            } catch (Exception e) {
                run.findings().add("cleanup failed: " + e);
            }
            DifferentialRun.PHASES.merge("cleanup", (System.nanoTime() - t) / 1_000_000, Long::sum);
        }
        return run;
    }

    private static String stack(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (StackTraceElement s : e.getStackTrace()) {
            if (s.getClassName().startsWith("jover.")) {
                b.append("\n    at ").append(s);
            }
        }
        return b.toString();
    }

    /** The example cut after the first step that differed (the runner stops there). */
    private static Example truncate(Example ex, DifferentialRun run) {
        int last = run.lastStep();
        if (last < 0 || last >= ex.ops().size() - 1) {
            return ex;
        }
        return ex.withOps(ex.ops().subList(0, last + 1));
    }

    // ---- after QuickTheories' shrinking ----

    private String failureReport(QtFailure f) {
        StringBuilder b = new StringBuilder();
        b.append("jover differs from kernel overlayfs (").append(cfg.describe()).append(").\n");
        b.append("QuickTheories seed ").append(f.seed).append(" (rerun: -Djover.diff.seed=").append(f.seed)
                .append(" -Djover.diff.examples=").append(cfg.examples()).append(" -Djover.diff.ops=").append(cfg.ops())
                .append(" -Djover.diff.genes=").append(cfg.maxGenes()).append("), failing after ").append(f.examples)
                .append(" example(s).\n");
        if (smallest == null) {
            b.append("(no failing example recorded: ").append(f.getCause()).append(")\n");
            return b.toString();
        }
        DifferentialRun first = runOnce(smallest);
        if (first.findings().isEmpty()) {
            b.append("The shrunk example passed when run again (flaky?):\n").append(smallest.describe());
            return b.toString();
        }
        Example cut = truncate(smallest, first);
        Example min = minimize(cut, first.signature());
        DifferentialRun last = runOnce(min);
        b.append("\nMinimal reproduction (").append(min.ops().size()).append(" operation(s), from ")
                .append(smallest.ops().size()).append(" after QuickTheories' shrinking):\n").append(min.describe());
        b.append(last.findings().isEmpty() ? "(passed when run again)\n" : last.report());
        b.append("\nQuickTheories' shrunk example:\n").append(smallest.describe()).append(first.report());
        return b.toString();
    }

    /**
     * Greedy minimization within the time budget: removes operations in chunks (halves, quarters,
     * ... single operations, last first), then layer entries, then tries fewer layers, the kernel form, umask 022, root as caller
     * and the first pool value for each argument, keeping each change that still fails with the
     * same kind of difference.
     */
    Example minimize(Example ex, String signature) {
        long deadline = System.nanoTime() + cfg.minimizeSeconds() * 1_000_000_000L;
        Example cur = ex;
        boolean changed = true;
        while (changed && System.nanoTime() < deadline) {
            changed = false;
            // chunks of operations, halving the chunk size down to single operations
            for (int chunk = Math.max(1, cur.ops().size() / 2); chunk >= 1 && System.nanoTime() < deadline;
                    chunk = chunk == 1 ? 0 : Math.max(1, chunk / 2)) {
                for (int end = cur.ops().size(); end > 0 && System.nanoTime() < deadline; end -= chunk) {
                    int start = Math.max(0, end - chunk);
                    List<Op> fewer = new ArrayList<>(cur.ops().subList(0, start));
                    fewer.addAll(cur.ops().subList(Math.min(end, cur.ops().size()), cur.ops().size()));
                    Example kept = stillFails(cur.withOps(fewer), signature);
                    if (kept != null) {
                        cur = kept;
                        changed = true;
                        end = Math.min(end, cur.ops().size() + chunk);
                    }
                }
            }
            for (int i = cur.tree().genes().size() - 1; i >= 0 && System.nanoTime() < deadline; i--) {
                List<LowerTree.Gene> g = new ArrayList<>(cur.tree().genes());
                g.remove(i);
                Example kept = stillFails(cur.withTree(new LowerTree(cur.tree().layers(), cur.tree().rootMode(), g)),
                        signature);
                if (kept != null) {
                    cur = kept;
                    changed = true;
                }
            }
            for (Example c : simpler(cur)) {
                if (System.nanoTime() >= deadline) {
                    break;
                }
                Example kept = stillFails(c, signature);
                if (kept != null) {
                    cur = kept;
                    changed = true;
                }
            }
        }
        return cur;
    }

    /** The example cut at its first difference if it still fails the same way, else null. */
    private Example stillFails(Example c, String signature) {
        if (c.ops().isEmpty()) {
            return null;
        }
        DifferentialRun r = runOnce(c);
        if (r.findings().isEmpty() || !r.signature().equals(signature)) {
            return null;
        }
        return truncate(c, r);
    }

    private static List<Example> simpler(Example ex) {
        List<Example> out = new ArrayList<>();
        LowerTree t = ex.tree();
        if (t.layers() > 1) {
            out.add(ex.withTree(new LowerTree(t.layers() - 1, t.rootMode(), t.genes())));
        }
        if (t.rootMode() != 0) {
            out.add(ex.withTree(new LowerTree(t.layers(), 0, t.genes())));
        }
        if (ex.form() != 0) {
            out.add(new Example(t, 0, ex.umask(), ex.cache(), ex.ops()));
        }
        if (ex.umask() != 0) {
            out.add(new Example(t, ex.form(), 0, ex.cache(), ex.ops()));
        }
        if (ex.cache() != 0) {
            out.add(new Example(t, ex.form(), ex.umask(), 0, ex.ops()));
        }
        for (int i = 0; i < ex.ops().size(); i++) {
            Op o = ex.ops().get(i);
            if (o.who() != 0) {
                out.add(replace(ex, i, o.asRoot()));
            }
        }
        for (int i = 0; i < t.genes().size(); i++) {
            LowerTree.Gene g = t.genes().get(i);
            if (g.mode() != 0 || g.owner() != 0 || g.xattrs() != 0) {
                List<LowerTree.Gene> gs = new ArrayList<>(t.genes());
                gs.set(i, new LowerTree.Gene(g.layer(), g.path(), g.kind(), g.variant(), 0, 0, 0));
                out.add(ex.withTree(new LowerTree(t.layers(), t.rootMode(), gs)));
            }
        }
        return out;
    }

    private static Example replace(Example ex, int i, Op o) {
        List<Op> ops = new ArrayList<>(ex.ops());
        ops.set(i, o);
        return ex.withOps(ops);
    }
}
