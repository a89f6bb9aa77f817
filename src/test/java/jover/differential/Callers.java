package jover.differential;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jover.sys.Raw;
import jover.testing.JoverMount;
import jover.testing.WorldReadableClassPath;

/**
 * The two long-lived {@link Executor} processes that make every call of the differential runs:
 * one as root, one as uid/gid {@link Pool#USER_UID} with no supplementary groups and no
 * capabilities ({@code setpriv --reuid --regid --clear-groups}: a real unprivileged caller, not a
 * thread with setfsuid), started on first use and reused across examples. The unprivileged one
 * runs from a world-readable copy of the class path. A call that does not answer in time (a hung
 * mount) kills the process; the next call starts a new one.
 */
final class Callers implements AutoCloseable {
    private static final long TIMEOUT_MS = Long.getLong("jover.diff.opTimeoutMs", 30_000);

    /** One executor process. */
    private static final class Child {
        final Process process;
        final Writer in;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> stderr = new ArrayList<>();

        Child(Process process) {
            this.process = process;
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread out = new Thread(() -> pump(process.getInputStream(), lines, null), "executor-out-" + process.pid());
            Thread err = new Thread(() -> pump(process.getErrorStream(), null, stderr), "executor-err-" + process.pid());
            out.setDaemon(true);
            err.setDaemon(true);
            out.start();
            err.start();
        }

        private static void pump(java.io.InputStream s, LinkedBlockingQueue<String> q, List<String> keep) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    if (q != null) {
                        q.add(l);
                    } else {
                        synchronized (keep) {
                            if (keep.size() < 200) {
                                keep.add(l);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // process gone
            }
            if (q != null) {
                q.add("EOF");
            }
        }

        String call(String line) throws IOException {
            in.write(line + "\n");
            in.flush();
            return next(line);
        }

        String next() throws IOException {
            return next("(start)");
        }

        private String next(String line) throws IOException {
            try {
                String reply = lines.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                if (reply == null) {
                    throw new IOException("no answer within " + TIMEOUT_MS + " ms to: " + line);
                }
                if (reply.equals("EOF")) {
                    throw new IOException("executor exited (" + stderrText() + ") on: " + line);
                }
                return reply;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        String stderrText() {
            synchronized (stderr) {
                return String.join(" | ", stderr);
            }
        }
    }

    private final Child[] children = new Child[2];

    /** Sends RESET (close every kept descriptor, set the umask) to both callers. */
    void reset(int umask, boolean withUser) throws IOException {
        String cmd = "RESET " + Integer.toOctalString(umask);
        expectOk(child(0), cmd);
        if (withUser) {
            expectOk(child(1), cmd);
        }
    }

    /** Closes the descriptors kept on one mount (before it is unmounted). */
    void closeSide(int side) throws IOException {
        for (Child c : children) {
            if (c != null && c.process.isAlive()) {
                expectOk(c, "CLOSE " + side);
            }
        }
    }

    private static void expectOk(Child c, String cmd) throws IOException {
        String r = c.call(cmd);
        if (!r.equals("OK")) {
            throw new IOException("executor answered '" + r + "' to " + cmd);
        }
    }

    /** Runs {@code op} as its caller on the mount at {@code root} (a raw string); side 0 or 1. */
    Outcome run(Op op, int side, String root) throws IOException {
        Child c = child(op.who());
        try {
            return Outcome.fromWire(c.call("OP " + side + " " + HexFormat.of().formatHex(Raw.bytes(root)) + " "
                    + op.line()));
        } catch (IOException e) {
            kill(op.who());
            throw e;
        }
    }

    private Child child(int who) throws IOException {
        Child c = children[who];
        if (c != null && c.process.isAlive()) {
            return c;
        }
        List<String> cmd = new ArrayList<>();
        if (who == 1) {
            cmd.addAll(List.of("setpriv", "--reuid=" + Pool.USER_UID, "--regid=" + Pool.USER_GID, "--clear-groups",
                    "--inh-caps=-all", "--"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-XX:-UsePerfData",
                "-Dfile.encoding=UTF-8", "-cp", who == 1 ? WorldReadableClassPath.get() : JoverMount.classPath(),
                Executor.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(new java.io.File("/"));
        c = new Child(pb.start());
        children[who] = c;
        String hello = c.next();
        if (!hello.startsWith("READY")) {
            kill(who);
            throw new IOException("executor did not start: " + hello + " " + c.stderrText());
        }
        return c;
    }

    private void kill(int who) {
        Child c = children[who];
        children[who] = null;
        if (c != null) {
            c.process.destroyForcibly();
        }
    }

    /** stderr of the executors, for failure messages. */
    String diagnostics() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            if (children[i] != null) {
                String e = children[i].stderrText();
                if (!e.isEmpty()) {
                    b.append(i == 0 ? "root" : "user").append(" executor stderr: ").append(e).append('\n');
                }
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        kill(0);
        kill(1);
    }

}
