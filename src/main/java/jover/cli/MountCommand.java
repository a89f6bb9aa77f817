package jover.cli;

import java.util.ArrayList;
import java.util.List;
import jover.session.MountConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jover mount}: gathers the options, validates them and hands the configuration to the daemon. */
@Command(name = "mount",
        header = "Mount an overlay (the default without a command).",
        customSynopsis = {
            "jover mount [-fd] -o lowerdir=DIR[:DIR...][,upperdir=DIR,workdir=DIR]",
            "                   [-o OPT[,OPT...]]... [SOURCE] MOUNTPOINT",
            "       jover mount [-fd] --lower DIR[:DIR...]... [--upper DIR --work DIR]",
            "                   [-o OPT[,OPT...]]... [SOURCE] MOUNTPOINT",
            ""},
        description = {
            "Mounts an overlay of the lower layers (read-only, topmost first) and an optional writable "
                    + "upper layer on MOUNTPOINT. SOURCE, if given, is the name shown in /proc/mounts "
                    + "(default: jover).",
            "Without an upper layer the mount is read-only. Returns once the mount is live; the "
                    + "daemon keeps serving in the background unless -f or -d is given."},
        sortOptions = false,
        footer = MountCommand.OPTIONS_HELP)
final class MountCommand {

    /** The -o reference, shown by {@code jover mount --help} and {@code jover --help}. */
    static final String OPTIONS_HELP = "%n"
            + "Mount options (-o KEY[=VALUE],...; -o may be repeated; items apply in order, later wins):%n"
            + "  lowerdir=DIR[:DIR...]  lower layers, topmost first (required)%n"
            + "  upperdir=DIR           writable upper layer (needs workdir)%n"
            + "  workdir=DIR            empty directory on the same filesystem as upperdir,%n"
            + "                         not inside it%n"
            + "  ro | rw                read-only / read-write (default rw; always ro without%n"
            + "                         upperdir)%n"
            + "  userxattr              overlay metadata in user.overlay.* instead of%n"
            + "                         trusted.overlay.* xattrs%n"
            + "  allow_other | noallow_other                 default: allow_other%n"
            + "  default_permissions | nodefault_permissions default: default_permissions%n"
            + "  suid | nosuid, dev | nodev                  default: suid, nodev%n"
            + "  exec | noexec                               default: exec%n"
            + "  atime | noatime  (relatime, strictatime = atime)  default: atime%n"
            + "  timeout=SECONDS        kernel cache time of entries and attributes (default%n"
            + "                         86400; jover is the only writer of the upper)%n"
            + "  threads=N              worker threads, 1 to 64 (default: twice the CPUs, at%n"
            + "                         least 4)%n"
            + "  passthrough=auto|on|off  kernel passthrough of file data (default auto)%n"
            + "  uidmapping=C:H:N[:C:H:N...], gidmapping=...  show N stored ids from C as ids%n"
            + "                         from H (fuse-overlayfs's owner mapping)%n"
            + "  squash_to_uid=N, squash_to_gid=N, squash_to_root  every file shows this owner%n"
            + "%n"
            + "Quoting: double quotes keep commas inside a value (context=\"a,b\"). In lowerdir,%n"
            + "upperdir, workdir and --lower a backslash makes the next character literal:%n"
            + "\\: is a colon inside a path, \\\\ a backslash; bare colons separate layers.%n"
            + "Empty items (a,,b) are skipped.%n"
            + "%n"
            + "Accepted for compatibility, no effect: volatile, fsync=0|1, writeback=0|1,%n"
            + "  fast_ino=0|1, threaded=N, xino=on|off|auto, uuid=on|off|null|auto, index=off,%n"
            + "  metacopy=off, nfs_export=off, redirect_dir=off|nofollow, verity=off,%n"
            + "  xattr_permissions=0, noxattrs=0, nodiratime, lazytime, nolazytime, async,%n"
            + "  defaults, auto, noauto, user, nouser, users, nofail, _netdev, noacl, comment=...,%n"
            + "  x-*.%n"
            + "Accepted with a warning, not supported yet: context, fscontext, defcontext,%n"
            + "  rootcontext, static_nlink, allow_root, plugins, fsname, subtype,%n"
            + "  sync, dirsync, and the other values of index, metacopy, nfs_export,%n"
            + "  redirect_dir, verity, xattr_permissions and noxattrs.%n"
            + "Unknown options are ignored with a warning. A bad value of a known option is an%n"
            + "error. --lower/--upper/--work and lowerdir/upperdir/workdir do not mix.%n"
            + "%n"
            + "Exit status: 0 mounted (or help shown), 1 refused or failed (one line on stderr%n"
            + "saying why), 2 command-line syntax error, 70 internal error (set JOVER_DEBUG=1%n"
            + "for a stack trace).";

    @Option(names = "-o", paramLabel = "OPTIONS", description = "Mount options, comma-separated; see below.")
    List<String> options = new ArrayList<>();

    @Option(names = "--lower", paramLabel = "DIR[:DIR...]",
            description = "Lower layer(s), topmost first; repeatable, each a colon list like lowerdir.")
    List<String> lowers = new ArrayList<>();

    @Option(names = "--upper", paramLabel = "DIR", description = "Writable upper layer (same as upperdir=).")
    String upper;

    @Option(names = "--work", paramLabel = "DIR", description = "Work directory (same as workdir=).")
    String work;

    @Option(names = {"-f", "--foreground"}, description = "Stay in the foreground.")
    boolean foreground;

    @Option(names = {"-d", "--debug"}, description = "Print every request and reply; implies -f.")
    boolean debug;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(index = "0..1", arity = "1..2", paramLabel = "MOUNTPOINT", hidden = true)
    List<String> positionals = new ArrayList<>();

    /** Runs this parsed command. */
    int run(CommandContext ctx) {
        return mount(ctx, options, lowers, upper, work, positionals, foreground, debug);
    }

    /**
     * The mount shared by {@code jover mount} and the command-less form: gather, validate, print
     * warnings, serve. {@code positionals} is {@code [MOUNTPOINT]} or {@code [SOURCE, MOUNTPOINT]}.
     */
    static int mount(CommandContext ctx, List<String> optionStrings, List<String> lowers, String upper, String work,
            List<String> positionals, boolean foreground, boolean debug) {
        MountConfig config;
        MountOptions options = new MountOptions(Runtime.getRuntime().availableProcessors());
        try {
            config = configure(ctx, options, optionStrings, lowers, upper, work, positionals, foreground, debug);
        } catch (InvalidOption e) {
            options.warnings().forEach(ctx.err()::println);
            ctx.err().println(CommandContext.line("jover: " + e.getMessage()));
            return CommandContext.EXIT_FAILURE;
        }
        config.warnings().forEach(ctx.err()::println);
        return ctx.serve().applyAsInt(config);
    }

    private static MountConfig configure(CommandContext ctx, MountOptions options, List<String> optionStrings,
            List<String> lowers, String upper, String work, List<String> positionals, boolean foreground,
            boolean debug) throws InvalidOption {
        for (String o : optionStrings) {
            options.apply(o);
        }
        for (String l : lowers) {
            options.addLower(l);
        }
        if (upper != null) {
            options.setUpper(upper);
        }
        if (work != null) {
            options.setWork(work);
        }
        String source = positionals.size() == 2 && !positionals.get(0).isEmpty() ? positionals.get(0) : "jover";
        String mountPoint = positionals.get(positionals.size() - 1);
        return new MountValidator(ctx.host()).validate(options, source, mountPoint, foreground, debug);
    }
}
