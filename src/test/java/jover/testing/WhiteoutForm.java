package jover.testing;

/** How a {@link LayerWriter} marks whiteouts and opaque directories on disk. */
public enum WhiteoutForm {
    /** Character device 0/0 whiteouts; opaque dirs trusted.overlay.opaque=y. */
    KERNEL(true, false),
    /**
     * Zero-size regular files with xattr trusted.overlay.whiteout inside a directory marked
     * trusted.overlay.opaque=x (the layer root too); opaque dirs trusted.overlay.opaque=y. An
     * opaque directory cannot also carry "x", so whiteouts inside opaque dirs stay char 0/0.
     */
    XATTR(true, false),
    /** Empty files named {@code .wh.NAME}; {@code .wh..wh..opq} inside opaque dirs. */
    AUFS(false, false),
    /** Character device 0/0 whiteouts; opaque dirs user.fuseoverlayfs.opaque=y. */
    FUSE_OVERLAYFS(false, false),
    /**
     * As {@link #XATTR} with user.overlay.* names (user.overlay.whiteout files in dirs marked
     * user.overlay.opaque=x, opaque dirs user.overlay.opaque=y); mount with -o userxattr.
     */
    USERXATTR(true, true);

    private final boolean kernelReadable;
    private final boolean userxattr;

    WhiteoutForm(boolean kernelReadable, boolean userxattr) {
        this.kernelReadable = kernelReadable;
        this.userxattr = userxattr;
    }

    /** True when kernel overlayfs reads this form (with -o userxattr for {@link #USERXATTR}). */
    public boolean kernelReadable() {
        return kernelReadable;
    }

    /** True when the mount needs -o userxattr. */
    public boolean userxattr() {
        return userxattr;
    }

    /** The form to write for the kernel when jover reads this one. */
    public WhiteoutForm kernelCounterpart() {
        return this == USERXATTR ? USERXATTR : KERNEL;
    }
}
