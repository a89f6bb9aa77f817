package jover.overlay;

/**
 * How one mount's overlay behaves, and what it may keep.
 *
 * @param readOnly       answer EROFS to every change (also implied by a mount without an upper)
 * @param userXattr      the overlay's private xattrs are user.overlay.* (else trusted.overlay.*)
 * @param timeoutSeconds how long the kernel may trust entries and attributes
 * @param passthrough    ask the kernel to pass file data through to the real files
 * @param owners         how stored owners show through the mount
 * @param budgets        bounds of the mount's own caches
 */
public record OverlaySettings(boolean readOnly, boolean userXattr, double timeoutSeconds, boolean passthrough,
                              Owners owners, Budgets budgets) {
    /**
     * Bounds of one mount's caches: many mounts in one process each get their own.
     *
     * @param dirHandles  directory descriptors kept open (the process may have 20,000 in all)
     * @param originCache copy-up origins resolved to lower files, remembered
     */
    public record Budgets(long dirHandles, long originCache) {
        /** What one mount alone in its process may keep. */
        public static final Budgets SINGLE_MOUNT = new Budgets(4096, 100_000);
    }
}
