package jover.writes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jover.testing.FsCalls;
import jover.testing.WorldReadableClassPath;

/**
 * Runs ops of a scenario as another user. For CHILD ops the parent keeps one child JVM per user
 * ({@link Children}), started as {@code setpriv --reuid=U --regid=G --clear-groups -- java -cp
 * <world-readable copy> jover.writes.OpChild}: it reads lines {@code SCENARIO INDEX ROOT UMASK}
 * on stdin, looks each op up again in {@link WriteScenarios}, sets the umask, runs it on the mount
 * at ROOT and prints {@code OUTCOME <outcome>}. (A JVM per op cost a second each: the
 * unprivileged scenario took 90 s idle and 170 s under load, near its timeout.) SHELL ops run
 * {@code sh -c} under setpriv, one process each. setpriv drops every capability: a real
 * unprivileged caller, unlike a thread with setfsuid.
 */
public final class OpChild {
    private static final String MARK = "OUTCOME ";

    private OpChild() {
    }

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] f = line.split(" ", 4);
            Op op = WriteScenarios.byName(f[0]).ops.get(Integer.parseInt(f[1]));
            FsCalls.umask(Integer.parseInt(f[3], 8));
            System.out.println(MARK + Ops.outcome(op.action, f[2]));
            System.out.flush();
        }
    }

    // ---- the parent's side ----

    /** The child JVMs of one scenario run, one per (uid, gid); closed after the run. */
    static final class Children implements AutoCloseable {
        private final Map<List<Integer>, Child> live = new HashMap<>();

        /** Runs {@code op} (CHILD or SHELL) as its user on the mount at {@code root}; its outcome. */
        synchronized String run(Scenario sc, int index, Op op, String root) {
            if (op.kind == Op.Kind.SHELL) {
                return shell(op, root);
            }
            List<Integer> who = List.of(op.cred.uid(), op.cred.gid());
            try {
                Child c = live.get(who);
                if (c == null || !c.process.isAlive()) {
                    c = Child.start(op.cred);
                    live.put(who, c);
                }
                return c.run(sc.name + " " + index + " " + root + " " + String.format("%03o", op.cred.umask()));
            } catch (IOException e) {
                return "starting the child failed: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        @Override
        public synchronized void close() {
            live.values().forEach(Child::stop);
            live.clear();
        }
    }

    /** One child JVM running as one user. */
    private static final class Child {
        final Process process;
        final Writer requests;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Path err;

        private Child(Process process, Path err) {
            this.process = process;
            this.err = err;
            this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(this::readLines, "opchild-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Op.Cred cred) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + cred.uid(), "--regid=" + cred.gid(),
                    "--clear-groups", "--", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", WorldReadableClassPath.get(),
                    OpChild.class.getName()));
            Path err = Files.createTempFile("jover-opchild-", ".err");
            Process p = new ProcessBuilder(cmd).directory(new java.io.File("/"))
                    .redirectError(err.toFile()).start();
            return new Child(p, err);
        }

        private void readLines() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            } catch (IOException e) {
                lines.add("stdout failed: " + e);
            }
        }

        String run(String request) throws IOException, InterruptedException {
            requests.write(request + "\n");
            requests.flush();
            List<String> other = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                String l = lines.poll(1, TimeUnit.SECONDS);
                if (l != null && l.startsWith(MARK)) {
                    return l.substring(MARK.length());
                } else if (l != null) {
                    other.add(l);
                } else if (!process.isAlive() && lines.isEmpty()) {
                    return "child failed (exit " + process.exitValue() + "): " + String.join(" ", other) + " "
                            + stderr();
                } else if (System.nanoTime() > deadline) {
                    stop();
                    return "child timed out" + (other.isEmpty() ? "" : ": " + String.join(" | ", other));
                }
            }
        }

        private String stderr() {
            try {
                return Files.readString(err, StandardCharsets.UTF_8).strip().replace("\n", " | ");
            } catch (IOException e) {
                return "";
            }
        }

        void stop() {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
                Files.deleteIfExists(err);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException ignored) {
                // a temp file left behind
            }
        }
    }

    /** A SHELL op: {@code sh -c} as its user, in its directory; "ok" or the exit status and stderr. */
    private static String shell(Op op, String root) {
        List<String> cmd = List.of("setpriv", "--reuid=" + op.cred.uid(), "--regid=" + op.cred.gid(),
                "--clear-groups", "--", "sh", "-c", "umask " + String.format("%03o", op.cred.umask()) + "; "
                        + op.script);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(new java.io.File(Ops.path(root, op.cwd)))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Path out = Files.createTempFile("jover-opchild-", ".out");
            Path err = Files.createTempFile("jover-opchild-", ".err");
            try {
                Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    return "child timed out";
                }
                String stderr = Files.readString(err, StandardCharsets.UTF_8).strip().replace("\n", " | ");
                return p.exitValue() == 0 && stderr.isEmpty() ? "ok"
                        : "exit " + p.exitValue() + (stderr.isEmpty() ? "" : ": " + stderr);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return "starting the child failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
