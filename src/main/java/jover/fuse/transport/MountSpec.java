package jover.fuse.transport;

/**
 * What to mount where: the source shown in /proc/mounts, the mount point, the subtype
 * ("fuse.SUBTYPE"), mount(2) flags and the fuse options jover sets.
 */
public record MountSpec(String source, String target, String subtype, long msFlags, boolean allowOther,
                        boolean defaultPermissions) {
}
