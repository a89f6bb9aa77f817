package jover.session;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import jover.overlay.OverlaySettings;
import jover.overlay.Owners;

/**
 * One validated mount request, made by the command line (jover.cli) and served by a
 * {@link MountSession}: everything a mount needs, nothing read from the environment.
 *
 * @param source          the mount source shown in /proc/mounts ("jover" unless given)
 * @param lowerDirs       lower layer roots, topmost first, absolute and with symlinks resolved
 * @param upperDir        writable upper layer root, if any
 * @param workDir         work directory on the upper's filesystem; present exactly when upperDir is
 * @param mountPoint      absolute mount point, symlinks resolved
 * @param foreground      stay attached to the terminal (-f)
 * @param debug           print every request and reply (-d; implies foreground)
 * @param readOnly        mount read-only even with an upper (ro); always true without an upper
 * @param userXattr       private overlay xattrs are user.overlay.* instead of trusted.overlay.*
 * @param allowOther      let users other than the mounter see the mount (default on)
 * @param defaultPermissions kernel-side permission checks (default on)
 * @param suid            honour set-user-id bits (default on, as fuse-overlayfs and kernel overlayfs)
 * @param dev             honour device nodes (default off: nodev)
 * @param exec            allow execution (default on)
 * @param noatime         MS_NOATIME
 * @param timeoutSeconds  entry and attribute cache time handed to the kernel
 * @param threads         worker threads serving /dev/fuse
 * @param passthrough     "auto", "on" or "off" (used from the passthrough issue on)
 * @param owners          how stored owners show through the mount (uidmapping, gidmapping, squash_to_*)
 * @param warnings        non-fatal remarks (unknown options ignored, ...) to print before mounting
 */
public record MountConfig(
        String source,
        List<Path> lowerDirs,
        Optional<Path> upperDir,
        Optional<Path> workDir,
        Path mountPoint,
        boolean foreground,
        boolean debug,
        boolean readOnly,
        boolean userXattr,
        boolean allowOther,
        boolean defaultPermissions,
        boolean suid,
        boolean dev,
        boolean exec,
        boolean noatime,
        double timeoutSeconds,
        int threads,
        String passthrough,
        Owners owners,
        List<String> warnings) {

    public MountConfig {
        lowerDirs = List.copyOf(lowerDirs);
        warnings = List.copyOf(warnings);
        if (lowerDirs.isEmpty()) {
            throw new IllegalArgumentException("at least one lower directory is required");
        }
        if (upperDir.isPresent() != workDir.isPresent()) {
            throw new IllegalArgumentException("upperdir and workdir go together");
        }
    }

    /** How the overlay of this mount behaves, with the budgets of a mount alone in its process. */
    public OverlaySettings overlaySettings() {
        return new OverlaySettings(mountsReadOnly(), userXattr, timeoutSeconds, !passthrough.equals("off"), owners,
                OverlaySettings.Budgets.SINGLE_MOUNT);
    }

    /** True when the mount must be read-only: asked for, or no upper layer to write to. */
    public boolean mountsReadOnly() {
        return readOnly || upperDir.isEmpty();
    }
}
