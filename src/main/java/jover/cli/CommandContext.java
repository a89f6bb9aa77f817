package jover.cli;

import java.io.PrintStream;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;
import jover.session.MountConfig;

/**
 * Where a command run writes and what it calls, with the exit codes every command uses; tests
 * replace the host checks and the daemon.
 */
record CommandContext(PrintStream out, PrintStream err, MountValidator.Host host, ToIntFunction<MountConfig> serve,
                      UnaryOperator<String> getenv) {
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_INTERNAL = 70;

    /** A message made safe to print as one line. */
    static String line(String message) {
        return message.replace("\r", "\\r").replace("\n", "\\n");
    }
}
