package jover.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jover.daemon.Daemon;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;

/**
 * The {@code jover} command. Its first argument picks the command: {@code mount}, {@code umount} or
 * {@code help}; anything else is the command-less mount form that fuse-overlayfs users and mount.fuse3 use
 * ({@code jover -o OPTS TARGET}, {@code jover SOURCE TARGET -o OPTS}).
 */
@Command(name = "jover",
        mixinStandardHelpOptions = true,
        customSynopsis = {
            "jover [-fd] -o lowerdir=DIR[:DIR...][,upperdir=DIR,workdir=DIR][,OPT...]",
            "             [SOURCE] MOUNTPOINT",
            "       jover mount [OPTIONS] [SOURCE] MOUNTPOINT",
            "       jover umount [-l] MOUNTPOINT",
            "       jover help [mount|umount] | --help | --version",
            ""},
        description = {
            "Overlay filesystem in userspace, served over FUSE.",
            "Without a command jover mounts, taking -o (repeatable), -f, -d and one or two "
                    + "arguments, [SOURCE] MOUNTPOINT, in any order: the form container engines "
                    + "(mount_program) and mount.fuse3 use. The first argument decides: if it is "
                    + "exactly a command name (mount, umount, help) it is that command, otherwise "
                    + "it is the command-less mount (to mount on a directory named like a command, "
                    + "give its path with a directory part, like ./mount). See 'jover mount --help' "
                    + "for the long options (--lower, --upper, --work)."},
        sortOptions = false,
        footer = MountCommand.OPTIONS_HELP)
public final class Main {


    @Option(names = "-o", paramLabel = "OPTIONS", description = "Mount options, comma-separated; see below.")
    List<String> options = new ArrayList<>();

    @Option(names = {"-f", "--foreground"}, description = "Stay in the foreground.")
    boolean foreground;

    @Option(names = {"-d", "--debug"}, description = "Print every request and reply; implies -f.")
    boolean debug;

    @Parameters(index = "0..1", arity = "0..2", paramLabel = "MOUNTPOINT", hidden = true)
    List<String> positionals = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line and returns its exit code; never throws, never prints a stack trace unasked. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, new CommandContext(out, err, MountValidator.Host.system(), Daemon::serve, System::getenv));
    }

    static int run(String[] args, CommandContext ctx) {
        try {
            return dispatch(args, ctx);
        } catch (Throwable t) {
            String message = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
            ctx.err().println(CommandContext.line("jover: internal error: " + message));
            if ("1".equals(ctx.getenv().apply("JOVER_DEBUG"))) {
                t.printStackTrace(ctx.err());
            }
            ctx.err().flush();
            return CommandContext.EXIT_INTERNAL;
        }
    }

    private static int dispatch(String[] args, CommandContext ctx) {
        String first = args.length > 0 ? args[0] : "";
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        if (first.equals("mount")) {
            MountCommand mount = new MountCommand();
            Integer done = parse(namedCommand("mount", mount), rest, ctx);
            return done != null ? done : mount.run(ctx);
        }
        if (first.equals("help")) {
            return help(rest, ctx);
        }
        if (first.equals("umount")) {
            UmountCommand umount = new UmountCommand();
            Integer done = parse(namedCommand("umount", umount), rest, ctx);
            return done != null ? done : umount.run(ctx);
        }
        // Parsed without the commands attached, so that a later argument spelled like a command
        // is still a positional argument.
        Main top = new Main();
        Integer done = parse(configure(new CommandLine(top)), args, ctx);
        if (done != null) {
            return done;
        }
        if (top.positionals.isEmpty()) {
            return usageError(ctx, "missing MOUNTPOINT (or a command: mount, umount)", "jover --help");
        }
        return MountCommand.mount(ctx, top.options, List.of(), null, null, top.positionals, top.foreground, top.debug);
    }

    /**
     * Parses {@code args} into the command of {@code cl}. Returns null when the command should run,
     * or the exit code once help, the version or a usage error has been printed.
     */
    private static Integer parse(CommandLine cl, String[] args, CommandContext ctx) {
        ParseResult result;
        try {
            result = cl.parseArgs(args);
        } catch (ParameterException e) {
            return usageError(ctx, e.getMessage(), cl.getCommandSpec().qualifiedName() + " --help");
        }
        if (result.isUsageHelpRequested()) {
            (cl.getCommandSpec().userObject() instanceof Main ? topWithCommands() : cl).usage(ctx.out());
            return 0;
        }
        if (result.isVersionHelpRequested()) {
            ctx.out().println("jover " + version());
            return 0;
        }
        return null;
    }

    /** {@code jover help [COMMAND]}: the same text as {@code --help}. */
    private static int help(String[] rest, CommandContext ctx) {
        if (rest.length == 0) {
            topWithCommands().usage(ctx.out());
            return 0;
        }
        if (rest.length == 1 && (rest[0].equals("mount") || rest[0].equals("umount"))) {
            namedCommand(rest[0], rest[0].equals("mount") ? new MountCommand() : new UmountCommand())
                    .usage(ctx.out());
            return 0;
        }
        return usageError(ctx, "help takes one of: mount, umount", "jover --help");
    }

    private static int usageError(CommandContext ctx, String message, String helpCommand) {
        ctx.err().println(CommandContext.line("jover: " + message));
        ctx.err().println("Try '" + helpCommand + "' for more information.");
        return CommandContext.EXIT_USAGE;
    }

    /** The top command with both commands listed under it, for {@code jover --help}. */
    private static CommandLine topWithCommands() {
        CommandLine top = configure(new CommandLine(new Main()));
        top.addSubcommand("mount", configure(new CommandLine(new MountCommand())));
        top.addSubcommand("umount", configure(new CommandLine(new UmountCommand())));
        top.addSubcommand("help", configure(new CommandLine(new HelpTopic())));
        return top;
    }

    /** Only describes {@code jover help} in the command list; {@link #help} does the work. */
    @Command(name = "help", header = "Show the help of jover or of one command (help [mount|umount]).")
    static final class HelpTopic {
    }

    /** A parser for one command, called "jover NAME" in its messages and help. */
    private static CommandLine namedCommand(String name, Object command) {
        return configure(new CommandLine(command)).setCommandName("jover " + name);
    }

    private static CommandLine configure(CommandLine cl) {
        // A mount point or layer may start with '@': never read arguments from files.
        cl.setExpandAtFiles(false);
        cl.setUsageHelpAutoWidth(false);
        cl.setUsageHelpWidth(80);
        return cl;
    }

    /** "jover VERSION" comes from the jar manifest's Implementation-Version; "dev" outside a jar. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

}
