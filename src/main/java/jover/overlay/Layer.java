package jover.overlay;

import jover.sys.Fd;

/**
 * One layer of the stack: its root descriptor, its position (0 is topmost) and whether jover
 * may write to it (only the upper).
 *
 * @param index    position in the stack, 0 = topmost
 * @param root     descriptor of the layer's root directory, opened once at mount time
 * @param path     the root's host path as a raw string, for messages only
 * @param writable true for the upper layer
 * @param dev      device number of the root's filesystem
 */
public record Layer(int index, Fd root, String path, boolean writable, long dev) {
    /**
     * The index of the upper layer, on a mount that has one: the topmost. On a mount without an
     * upper, index 0 is the topmost lower: code that means "the upper" says UPPER and runs only
     * when there is one.
     */
    public static final int UPPER = 0;
}
