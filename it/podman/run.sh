#!/usr/bin/env bash
# End-to-end container test (issue 6): Debian's podman with jover as the overlay driver's mount
# program. Imports a debootstrap minbase rootfs as a base image (no registry), runs a command in
# a container, installs a .deb inside one, commits it as a new image, runs that image, removes
# everything, and checks that no jover daemon and no fuse.jover mount is left. Then, unless
# --no-compare, the same steps with fuse-overlayfs as mount program, and both timings side by
# side (timing never fails the test).
#
#   sudo it/podman/run.sh [--no-compare] [--only jover|fuse-overlayfs] [--keep] [--trace]
#
#   --no-compare   run the steps with jover only (what PodmanIT does)
#   --only NAME    run the steps with that mount program only
#   --keep         keep the work directory (logs, storage) when a step fails
#   --trace        every step through a wrapper that records the mount program's argv and
#                  stderr (else only one extra run does); prints the distinct argv forms
#
# Environment: JOVER_PODMAN_CACHE (default /var/tmp/jover-podman-cache) holds the rootfs
# tarball, built once; JOVER_PODMAN_MIRROR overrides the Debian mirror debootstrap uses
# (default: the first one apt uses here). Needs root, /dev/fuse, apt (installs podman, runc,
# debootstrap, fuse3 and, when compared, fuse-overlayfs, if missing) and target/jover.jar (mvn package).
#
# Output: one "ok   NAME STEP (S s)" or "FAIL NAME STEP" line per step, the timing table, and
# last "podman-it: PASS (NAMES)" (exit 0) or "podman-it: FAIL ..." (exit 1). Exit 2: bad usage
# or setup.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
jover=$repo/bin/jover          # the mount program under test, this checkout's launcher
cache=${JOVER_PODMAN_CACHE:-/var/tmp/jover-podman-cache}
suite=bookworm
compare=1; only=""; keep=0; trace=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-compare) compare=0 ;;
    --only) only=${2:-}; shift ;;
    --keep) keep=1 ;;
    --trace) trace=1 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
programs=(jover)
[ $compare = 1 ] && programs+=(fuse-overlayfs)
[ -n "$only" ] && programs=("$only")
for p in "${programs[@]}"; do
  case "$p" in jover|fuse-overlayfs) ;; *) echo "run.sh: --only takes jover or fuse-overlayfs" >&2; exit 2 ;; esac
done

say() { printf '%s\n' "$*"; }
die() { say "podman-it: FAIL setup: $*"; exit 2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

[ "$(id -u)" = 0 ] || die "run as root"
[ -e /dev/fuse ] || die "/dev/fuse is missing"
[ -f "$repo/target/jover.jar" ] || die "$repo/target/jover.jar is missing: run mvn -B -Dmaven.test.skip=true package"
[ -x "$jover" ] || die "$jover is not executable"

# ---- tools --------------------------------------------------------------------------------
need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v fusermount3 >/dev/null || need+=(fuse3)
command -v dpkg-deb >/dev/null || need+=(dpkg)
case " ${programs[*]} " in *" fuse-overlayfs "*) command -v fuse-overlayfs >/dev/null || need+=(fuse-overlayfs) ;; esac
if [ ${#need[@]} -gt 0 ]; then
  say "installing: ${need[*]}"
  timeout 300 apt-get update -q >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null \
    || die "apt-get install ${need[*]} failed"
fi
modprobe fuse 2>/dev/null || true
say "versions: podman $(podman --version | awk '{print $3}'), runc $(runc --version | awk 'NR==1 {print $3}'),"\
" conmon $(dpkg-query -W -f '${Version}' conmon 2>/dev/null), fuse3 $(dpkg-query -W -f '${Version}' fuse3),"\
" fuse-overlayfs $(dpkg-query -W -f '${Version}' fuse-overlayfs 2>/dev/null), debootstrap $(dpkg-query -W -f '${Version}' debootstrap),"\
" kernel $(uname -r)"

# ---- the base rootfs, built once ------------------------------------------------------------
# The mirror apt uses here (deb822 .sources first, then one-line lists), so debootstrap reaches
# the same registry as apt-get.
mirror() {
  local m=""
  if [ -n "${JOVER_PODMAN_MIRROR:-}" ]; then echo "$JOVER_PODMAN_MIRROR"; return; fi
  m=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
        /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
  [ -z "$m" ] && m=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/ && $i !~ /security/) { print $i; exit } }' \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -1)
  echo "${m:-http://deb.debian.org/debian}"
}
tarball=$cache/$suite-minbase.tar
if [ ! -s "$tarball" ]; then
  mkdir -p "$cache" || die "cannot create $cache"
  m=$(mirror)
  say "building the $suite minbase rootfs with debootstrap from $m (once; cached in $cache)"
  build=$(mktemp -d "$cache/build.XXXXXX") || die "mktemp in $cache"
  t0=$(now)
  if ! timeout 900 debootstrap --variant=minbase "$suite" "$build/rootfs" "$m" >"$build/debootstrap.log" 2>&1; then
    tail -20 "$build/debootstrap.log"
    rm -rf "$build"
    die "debootstrap failed (log above)"
  fi
  # apt's downloaded .debs are not part of an image
  rm -rf "$build/rootfs/var/cache/apt/archives/"*.deb "$build/rootfs/var/lib/apt/lists/"*
  timeout 300 tar --numeric-owner --xattrs -C "$build/rootfs" -cf "$build/rootfs.tar" . || { rm -rf "$build"; die "tar failed"; }
  mv "$build/rootfs.tar" "$tarball" && rm -rf "$build"
  say "rootfs built in $(secs "$t0" "$(now)") s: $(du -h "$tarball" | cut -f1)"
fi

# ---- a tiny .deb ----------------------------------------------------------------------------
work=$(mktemp -d /var/tmp/jover-pit.XXXXXX) || die "mktemp"
pkg=$work/pkg
mkdir -p "$pkg/DEBIAN" "$pkg/usr/bin" "$pkg/usr/share/doc/jover-hello"
cat >"$pkg/DEBIAN/control" <<'EOF'
Package: jover-hello
Version: 1.0
Architecture: all
Maintainer: jover tests <jover@localhost>
Description: test package of jover's container test
 Installs one command, jover-hello.
EOF
cat >"$pkg/usr/bin/jover-hello" <<'EOF'
#!/bin/sh
echo "hello from jover-hello 1.0"
EOF
chmod 0755 "$pkg/usr/bin/jover-hello"
echo "jover-hello: test package" >"$pkg/usr/share/doc/jover-hello/README"
deb=$work/jover-hello_1.0_all.deb
dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$deb" >/dev/null || die "dpkg-deb failed"

# ---- cleanup ----------------------------------------------------------------------------------
# Everything one storage root left: fuse mounts under it (connection aborted first, so nothing
# can hang on a dead daemon), its daemons, its containers' cgroups.
fuse_mounts_under() {  # mount points of fuse mounts below $1, from this namespace's mountinfo
  awk -v r="$1/" '{ for (i = 7; i <= NF; i++) if ($i == "-") break;
                    if ($(i+1) ~ /^fuse/ && index($5, r) == 1) print $3 " " $5 }' /proc/self/mountinfo
}
daemons_of() {  # mount program processes serving a mount below $1
  pgrep -f -- "(jover\\.jar|fuse-overlayfs).*$1/" || true
}
force_cleanup() {  # $1 storage root, $2 cgroup parent
  local r=$1 cg=$2 dev mp
  kill_cgroups "$cg"   # container processes first: they keep the mounts busy
  while read -r dev mp; do
    [ -n "$mp" ] || continue
    # fusectl names a connection by the mount's device number (major 0: the minor)
    echo 1 >"/sys/fs/fuse/connections/${dev##*:}/abort" 2>/dev/null || true
    umount -l "$mp" 2>/dev/null || true
  done < <(fuse_mounts_under "$r")
  for pid in $(daemons_of "$r"); do kill -9 "$pid" 2>/dev/null || true; done
  # the overlay driver's own bind mount of its home, and anything else left below the root
  awk -v r="$r" '{ if ($5 == r || index($5, r "/") == 1) print $5 }' /proc/self/mountinfo | sort -r |
    while read -r mp; do umount -l "$mp" 2>/dev/null || true; done
  remove_cgroups "$cg"
}
cgroup_dirs() {  # our cgroup parent in each hierarchy (never empty: that would be every cgroup)
  local d
  [ -n "$1" ] || return 0
  for d in /sys/fs/cgroup/*/"$1" /sys/fs/cgroup/"$1"; do [ -d "$d" ] && echo "$d"; done
  return 0
}
kill_cgroups() {
  local d pid
  for d in $(cgroup_dirs "$1"); do
    for pid in $(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  done
}
remove_cgroups() {
  local d
  for d in $(cgroup_dirs "$1"); do
    [ -d "$d" ] || continue
    find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}
cleanup_all() {
  local r
  for r in "$work"/*/root; do
    [ -d "$r" ] || continue
    force_cleanup "$r" "$(cat "$r/../cgroup-parent" 2>/dev/null)"
  done
  if [ $keep = 1 ] && [ "${failed:-0}" != 0 ]; then
    say "kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup_all EXIT
trap 'exit 130' INT TERM

# ---- the steps ------------------------------------------------------------------------------
declare -A took        # took[program/step] = seconds
failed=0
steps=(import run-os-release create-install cp-deb start-install commit rm-install run-new-image setuid uidmap trace-argv rmi rm-all
       leftovers reset)

# run_steps NAME PROGRAM: every step with its own storage root; stops at the first failure.
run_steps() {
  local name=$1 program=$2
  local base=$work/$name
  mkdir -p "$base/root" "$base/run" "$base/tmp" "$base/etc"
  local root=$base/root runroot=$base/run  # podman refuses a runroot over 50 characters
  local cg=jover-podman-it-$name-$$
  echo "$cg" >"$base/cgroup-parent"
  # A wrapper that records what podman passes to the mount program and what it prints on
  # stderr (podman shows that only when the program fails).
  local tlog=$base/trace
  cat >"$base/traced" <<EOF
#!/bin/bash
printf 'argv:' >>"$tlog.log"; printf ' %s' "\$@" >>"$tlog.log"; echo >>"$tlog.log"
"$program" "\$@" 2>"$tlog.err.\$\$"; rc=\$?
sed 's/^/stderr: /' "$tlog.err.\$\$" >>"$tlog.log"; echo "exit: \$rc" >>"$tlog.log"
cat "$tlog.err.\$\$" >&2; rm -f "$tlog.err.\$\$"
exit \$rc
EOF
  chmod 0755 "$base/traced"
  local used=$program
  [ $trace = 1 ] && used=$base/traced
  # Private configuration, so nothing in /etc/containers or another user's storage takes part.
  cat >"$base/etc/containers.conf" <<EOF
[containers]
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
EOF
  # The storage.conf snippet of docs/containers.md; the flags below say the same.
  cat >"$base/etc/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$root"
runroot = "$runroot"
[storage.options.overlay]
mount_program = "$used"
EOF
  local -a pod=(env CONTAINERS_CONF="$base/etc/containers.conf" CONTAINERS_STORAGE_CONF="$base/etc/storage.conf"
                TMPDIR="$base/tmp"
                podman --root "$root" --runroot "$runroot" --tmpdir "$base/tmp/libpod"
                --storage-driver overlay --storage-opt "overlay.mount_program=$used"
                --runtime runc --cgroup-manager cgroupfs --events-backend file)
  local -a limits=(--network none --cgroup-parent "/$cg"
                   --ulimit nofile=4096:4096 --ulimit nproc=32768:32768)
  local base_img=localhost/jover-it-base:latest new_img=localhost/jover-it-hello:latest
  local out=$base/out err=$base/err

  # step NAME LIMIT COMMAND...: run with a timeout, stdout to $out, stderr to $err
  step() {
    local s=$1 limit=$2; shift 2
    local t0 rc
    t0=$(now)
    timeout --kill-after=15 "$limit" "$@" >"$out" 2>"$err" </dev/null
    rc=$?
    took[$name/$s]=$(secs "$t0" "$(now)")
    if [ $rc != 0 ]; then
      [ $rc = 124 ] || [ $rc = 137 ] && say "     (timed out after $limit s)"
      return $rc
    fi
  }
  ok() { say "ok   $name $1 (${took[$name/$1]} s)${2:+: $2}"; }
  fail() {
    say "FAIL $name $1 (${took[$name/$1]:-?} s): $2"
    say "---- stdout"; tail -20 "$out" 2>/dev/null
    say "---- stderr"; tail -30 "$err" 2>/dev/null
    say "----"
    failed=$((failed + 1))
  }
  expect() {  # expect STEP PATTERN: the step's stdout has a line matching PATTERN
    if grep -q -- "$2" "$out"; then return 0; fi
    fail "$1" "stdout lacks /$2/"; return 1
  }

  say "== $name: mount program $program"
  # 1. the base image from the rootfs tarball
  step import 180 "${pod[@]}" import --change 'CMD ["/bin/sh"]' "$tarball" "$base_img" \
    || { fail import "podman import failed"; return 1; }
  ok import
  # 2. a command in a container
  step run-os-release 120 "${pod[@]}" run --rm "${limits[@]}" "$base_img" cat /etc/os-release \
    || { fail run-os-release "podman run failed"; return 1; }
  expect run-os-release '^PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"' || return 1
  ok run-os-release "$(grep ^PRETTY_NAME "$out")"
  # 3. install a .deb inside a container: create it, copy the package in, run dpkg -i; also
  # delete a base file and a base directory and replace another directory, so the committed
  # layer has whiteouts and an opaque directory that the new image's mount must honour
  step create-install 120 "${pod[@]}" create --name jover-it-install "${limits[@]}" "$base_img" \
      sh -c 'dpkg -i /root/jover-hello_1.0_all.deb && dpkg-query -W -f "\${Package} \${Version} \${Status}\n" jover-hello &&
             rm /etc/motd && rm -r /usr/share/doc/bash && rm -r /etc/skel && mkdir /etc/skel &&
             echo replaced >/etc/skel/only-this && echo changed >>/etc/issue &&
             cp /usr/bin/id /usr/local/bin/id-suid && chmod 4755 /usr/local/bin/id-suid' \
    || { fail create-install "podman create failed"; return 1; }
  ok create-install
  step cp-deb 120 "${pod[@]}" cp "$deb" jover-it-install:/root/ \
    || { fail cp-deb "podman cp failed"; return 1; }
  ok cp-deb
  step start-install 180 "${pod[@]}" start --attach jover-it-install \
    || { fail start-install "dpkg -i in the container failed"; return 1; }
  expect start-install '^jover-hello 1.0 install ok installed' || return 1
  ok start-install "$(grep '^jover-hello 1.0' "$out")"
  # 4. commit it as a new image
  step commit 300 "${pod[@]}" commit --format docker jover-it-install "$new_img" \
    || { fail commit "podman commit failed"; return 1; }
  ok commit
  step rm-install 60 "${pod[@]}" rm jover-it-install || { fail rm-install "podman rm failed"; return 1; }
  # 5. run the new image's installed command
  step run-new-image 120 "${pod[@]}" run --rm "${limits[@]}" "$new_img" \
      sh -c 'jover-hello; cat /usr/share/doc/jover-hello/README; ls /root; ls -A /etc/skel | tr "\n" " "; echo;
             ls /etc/motd /usr/share/doc/bash 2>&1; tail -1 /etc/issue' \
    || { fail run-new-image "podman run of the committed image failed"; return 1; }
  expect run-new-image '^hello from jover-hello 1.0$' || return 1
  expect run-new-image '^jover-hello: test package$' || return 1
  expect run-new-image '^jover-hello_1.0_all.deb$' || return 1       # what podman cp put there
  expect run-new-image '^only-this $' || return 1                     # the opaque /etc/skel
  expect run-new-image "^ls: cannot access '/etc/motd': No such file or directory$" || return 1
  expect run-new-image "^ls: cannot access '/usr/share/doc/bash': No such file or directory$" || return 1
  expect run-new-image '^changed$' || return 1                        # copied up and appended
  ok run-new-image "$(head -1 "$out")"
  # 5b. a set-user-ID program of the committed layer runs with its owner's euid, as on kernel
  # overlayfs and fuse-overlayfs (podman cannot pass "suid" to a mount program: containers/storage
  # gives it only the data part of its options, so the program's default must be suid)
  step setuid 120 "${pod[@]}" run --rm "${limits[@]}" "$new_img" \
      sh -c 'stat -c "mode %a" /usr/local/bin/id-suid; setpriv --reuid=65534 --regid=65534 --clear-groups /usr/local/bin/id-suid' \
    || { fail setuid "podman run of the set-user-ID program failed"; return 1; }
  expect setuid '^mode 4755$' || return 1
  expect setuid 'euid=0(root)' || return 1
  ok setuid "$(tail -1 "$out")"
  # 5c. a container in a user namespace (host ids 100000-165535): containers/storage passes
  # uidmapping=:0:100000:65536 (leading ':') and gidmapping= to the mount program, which must
  # accept them and mount. Here it also hands over id-mapped lower layers (the kernel has
  # idmapped mounts), so the mapping applies twice and the image's files show as 65534 inside,
  # with fuse-overlayfs exactly as with jover (docs/containers.md)
  step uidmap 120 "${pod[@]}" run --rm "${limits[@]}" --uidmap 0:100000:65536 --gidmap 0:100000:65536 "$new_img" \
      sh -c 'id -u; stat -c "passwd %u:%g" /etc/passwd' \
    || { fail uidmap "podman run with --uidmap failed"; return 1; }
  expect uidmap '^0$' || return 1
  expect uidmap '^passwd [0-9]*:[0-9]*$' || return 1
  ok uidmap "$(tr '\n' ' ' < "$out")"
  # 6. what podman passes to the mount program and what the program prints on stderr: one more
  # run through the wrapper (with --trace every step went through it)
  local -a traced=()
  local a
  for a in "${pod[@]}"; do traced+=("${a/overlay.mount_program=$used/overlay.mount_program=$base/traced}"); done
  step trace-argv 120 "${traced[@]}" run --rm "${limits[@]}" "$new_img" jover-hello \
    || { fail trace-argv "podman run through the tracing wrapper failed"; return 1; }
  if ! grep -q '^argv:' "$tlog.log" 2>/dev/null; then fail trace-argv "the mount program was not run"; return 1; fi
  # podman ignores the program's stderr when it exits 0 (fuse-overlayfs warns about options it
  # does not know); jover is required to know every option podman passes, so to stay silent
  if grep -v -q '^exit: 0$' <(grep '^exit:' "$tlog.log"); then
    cp "$tlog.log" "$out"; fail trace-argv "the mount program failed"; return 1
  fi
  if [ "$name" = jover ] && grep -q '^stderr: ' "$tlog.log"; then
    cp "$tlog.log" "$out"; fail trace-argv "jover printed on stderr (a warning about podman's options?)"; return 1
  fi
  if grep -q '^stderr: ' "$tlog.log"; then
    ok trace-argv "$(grep -c '^argv:' "$tlog.log") mount(s), exit 0, stderr:"
    grep '^stderr: ' "$tlog.log" | sort | uniq -c | sed 's/^/    /'
  else
    ok trace-argv "$(grep -c '^argv:' "$tlog.log") mount(s), silent, exit 0"
  fi
  if [ $trace = 1 ]; then
    sed -n 's/^argv:/     argv:/p' "$tlog.log" | sed -e "s#$root#\$ROOT#g" -e 's#/[0-9a-f]\{64\}/#/<ID>/#g' \
      -e 's#/l/[A-Z0-9]\{26\}#/l/<L>#g' | sort | uniq -c
  else
    sed -n 's/^argv:/     argv:/p' "$tlog.log" | sed "s#$root#\$ROOT#g" | tail -1
  fi
  # 7. remove everything
  step rmi 120 "${pod[@]}" rmi "$new_img" "$base_img" || { fail rmi "podman rmi failed"; return 1; }
  ok rmi
  step rm-all 60 "${pod[@]}" rm --all --force || { fail rm-all "podman rm --all failed"; return 1; }
  # 8. nothing left running or mounted
  local t0 left
  t0=$(now)
  for _ in $(seq 50); do   # a daemon exits right after its unmount: give it a moment
    left=$(fuse_mounts_under "$root"; daemons_of "$root")
    [ -z "$left" ] && break
    sleep 0.2
  done
  took[$name/leftovers]=$(secs "$t0" "$(now)")
  if [ -n "$left" ]; then
    { echo "fuse mounts (dev mountpoint) under $root, then daemon pids:"; echo "$left"
      for pid in $(daemons_of "$root"); do tr '\0' ' ' </proc/"$pid"/cmdline; echo; done; } >"$out"
    : >"$err"
    fail leftovers "a mount or a daemon is left"; return 1
  fi
  ok leftovers "no fuse mount under the storage root, no daemon"
  step reset 120 "${pod[@]}" system reset --force || { fail reset "podman system reset failed"; return 1; }
  force_cleanup "$root" "$cg"
  if awk -v r="$root" '{ if ($5 == r || index($5, r "/") == 1) f = 1 } END { exit !f }' /proc/self/mountinfo; then
    fail reset "mounts left under $root after reset"; return 1
  fi
  rm -rf "$root" "$runroot" "$base/tmp" || { fail reset "rm -rf of the storage failed"; return 1; }
  ok reset
}

for p in "${programs[@]}"; do
  case "$p" in
    jover) prog=$jover ;;
    fuse-overlayfs) prog=$(command -v fuse-overlayfs) ;;
  esac
  t0=$(now)
  run_steps "$p" "$prog"
  took[$p/total]=$(secs "$t0" "$(now)")
  [ $failed = 0 ] || break
done

# ---- times ----------------------------------------------------------------------------------
say ""
say "times (s)"
line=$(printf '%-16s' step); for p in "${programs[@]}"; do line+=$(printf '%16s' "$p"); done; say "$line"
for s in "${steps[@]}" total; do
  line=$(printf '%-16s' "$s")
  for p in "${programs[@]}"; do line+=$(printf '%16s' "${took[$p/$s]:--}"); done
  say "$line"
done
say ""
if [ $failed = 0 ]; then
  say "podman-it: PASS (${programs[*]})"
  exit 0
fi
say "podman-it: FAIL ($failed step(s))"
exit 1
