package jover.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import jover.sys.Errno;
import jover.sys.ErrnoException;
import jover.sys.Linux;
import jover.sys.Raw;
import jover.sys.Sys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jover umount}: umount2 of a mount point. The path is only made absolute, never stat'ed
 * or resolved: stat() on a mount whose daemon died hangs, and unmounting such a mount is exactly
 * what this command is for.
 */
@Command(name = "umount",
        header = "Unmount a mount point.",
        description = {"Unmounts MOUNTPOINT (any mount, not only jover's).",
            "A busy mount is refused unless --lazy detaches it now and lets it go once unused."},
        sortOptions = false,
        footer = {"%nExit status: 0 unmounted, 1 refused or failed (one line on stderr saying why),",
            "2 command-line syntax error, 70 internal error."})
final class UmountCommand {

    @Option(names = {"-l", "--lazy"}, description = "Detach now even if busy (MNT_DETACH).")
    boolean lazy;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(arity = "1", paramLabel = "MOUNTPOINT", description = "The mount point to unmount.")
    String mountPoint;

    int run(CommandContext ctx) {
        Path target;
        try {
            target = Path.of(mountPoint).toAbsolutePath();
        } catch (InvalidPathException e) {
            ctx.err().println(CommandContext.line("jover: '" + mountPoint + "' is not a valid path: " + e.getReason()));
            return CommandContext.EXIT_FAILURE;
        }
        try {
            Sys.umount(Raw.of(target), lazy ? Linux.MNT_DETACH : 0);
            return 0;
        } catch (ErrnoException e) {
            ctx.err().println(CommandContext.line("jover: " + failure(target, e)));
            return CommandContext.EXIT_FAILURE;
        }
    }

    private static String failure(Path target, ErrnoException e) {
        switch (e.errno()) {
            case Errno.EBUSY:
                return target + " is busy: close the files and shells using it, or detach it anyway with "
                        + "'jover umount --lazy " + target + "'";
            case Errno.EINVAL:
                return target + " is not a mount point: nothing to unmount";
            case Errno.ENOENT:
            case Errno.ENOTDIR:
                return target + " does not exist: check the path";
            case Errno.EPERM:
                return "not permitted to unmount " + target + ": run as root";
            default:
                return "cannot unmount " + target + ": " + e.getMessage();
        }
    }
}
