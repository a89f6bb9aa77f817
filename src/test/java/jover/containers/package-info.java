/**
 * Container engine tests: {@link jover.containers.PodmanIT} runs {@code it/podman/run.sh}, the
 * end-to-end test of Debian's podman with {@code bin/jover} as the overlay driver's mount
 * program (a base image imported from a debootstrap rootfs, a container run, a .deb installed
 * and committed, the new image run, everything removed, nothing left mounted or running).
 * See docs/containers.md.
 */
package jover.containers;
