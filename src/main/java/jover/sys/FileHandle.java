package jover.sys;

/**
 * A file handle as name_to_handle_at returns it: the filesystem's handle type and its bytes.
 * Kernel overlayfs records the lower file's handle as a copied-up file's origin.
 */
public record FileHandle(int type, byte[] bytes) {
}
