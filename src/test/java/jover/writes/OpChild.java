package jover.writes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jover.testing.FsCalls;
import jover.testing.WorldReadableClassPath;

/**
 * Runs one op of a scenario as another user. The parent starts
 * {@code setpriv --reuid=U --regid=G --clear-groups -- java -cp <world-readable copy> jover.writes.OpChild
 * SCENARIO INDEX ROOT UMASK}; this looks the op up again in {@link WriteScenarios}, sets the umask,
 * runs it on the mount at ROOT and prints {@code OUTCOME <outcome>}. setpriv drops every
 * capability (a real unprivileged caller, unlike a thread with setfsuid).
 */
public final class OpChild {
    private static final String MARK = "OUTCOME ";

    private OpChild() {
    }

    public static void main(String[] args) {
        String scenario = args[0];
        int index = Integer.parseInt(args[1]);
        String root = args[2];
        int umask = Integer.parseInt(args[3], 8);
        Scenario sc = WriteScenarios.byName(scenario);
        Op op = sc.ops.get(index);
        FsCalls.umask(umask);
        System.out.println(MARK + Ops.outcome(op.action, root));
        System.out.flush();
    }

    // ---- the parent's side ----

    /** Runs {@code op} (CHILD or SHELL) as its user on the mount at {@code root}; its outcome. */
    static String run(Scenario sc, int index, Op op, String root) {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + op.cred.uid(), "--regid=" + op.cred.gid(),
                "--clear-groups", "--"));
        ProcessBuilder pb;
        if (op.kind == Op.Kind.SHELL) {
            cmd.addAll(List.of("sh", "-c", "umask " + String.format("%03o", op.cred.umask()) + "; " + op.script));
            pb = new ProcessBuilder(cmd).directory(new java.io.File(Ops.path(root, op.cwd)));
        } else {
            cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", WorldReadableClassPath.get(),
                    OpChild.class.getName(), sc.name, Integer.toString(index), root,
                    String.format("%03o", op.cred.umask())));
            pb = new ProcessBuilder(cmd).directory(new java.io.File("/"));
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Path out = Files.createTempFile("jover-opchild-", ".out");
            Path err = Files.createTempFile("jover-opchild-", ".err");
            try {
                Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    return "child timed out";
                }
                String stdout = Files.readString(out, StandardCharsets.UTF_8);
                String stderr = Files.readString(err, StandardCharsets.UTF_8).strip().replace("\n", " | ");
                if (op.kind == Op.Kind.SHELL) {
                    return p.exitValue() == 0 && stderr.isEmpty() ? "ok"
                            : "exit " + p.exitValue() + (stderr.isEmpty() ? "" : ": " + stderr);
                }
                for (String line : stdout.split("\n")) {
                    if (line.startsWith(MARK)) {
                        return line.substring(MARK.length());
                    }
                }
                return "child failed (exit " + p.exitValue() + "): " + stdout.strip() + " " + stderr;
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
