#!/usr/bin/env bash
# The benchmark suite (issue 5): the same layers mounted as native (no overlay), kernel
# overlayfs, fuse-overlayfs, jover with passthrough and jover without; every workload a warm-up
# round and N measured rounds, the systems' order rotated each round; prints the median per
# system, its ratio to kernel overlayfs, the target and PASS/MISS, and writes the same as
# markdown to bench/results/. See bench/README.md for what each workload does.
#
#   sudo bench/run.sh [--quick] [--rounds N] [--only W1,W2] [--spin] [--cache DIR] [--out FILE]
#
#   --quick       small sizes (checks the script: a few minutes)
#   --rounds N    measured rounds per workload (default 3 full, 1 quick), after one warm-up
#   --only LIST   groups to run: read,stat,readdir,git,seqwrite,copyup,create,untar,rmrf,mount
#   --spin        one idle-priority busy loop per CPU during the run (idle vCPUs wake slowly:
#                 benchmarking.md); default: idle CPUs
#   --cache DIR   where the layers are built once (default /var/tmp/jover-bench-cache)
#   --keep        keep the run directory (loop image, logs) for inspection
#   --requests    profile instead of benchmark: count the FUSE requests each workload sends
#                 (kernel tracepoint fuse:fuse_request_send, an in-kernel histogram by opcode)
#                 for the FUSE systems, one round; writes bench/results/*-requests.md
#
# Needs root, /dev/fuse, Debian's apt (installs fuse-overlayfs, debootstrap, fio, git,
# e2fsprogs if missing) and target/jover.jar (built with mvn if missing).
set -uo pipefail

if [ -z "${JOVER_BENCH_UNSHARED:-}" ]; then
  exec env JOVER_BENCH_UNSHARED=1 unshare -m --propagation private "$0" "$@"
fi

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
quick=0; rounds=""; only=""; spin=0; keep=0; requests=0
cache=/var/tmp/jover-bench-cache; out=""
cmdline="bench/run.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --rounds) rounds=$2; shift ;;
    --only) only=$2; shift ;;
    --spin) spin=1 ;;
    --cache) cache=$2; shift ;;
    --out) out=$2; shift ;;
    --keep) keep=1 ;;
    --requests) requests=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
[ $requests = 1 ] && rounds=${rounds:-1}

if [ $quick = 1 ]; then
  mode=quick; rounds=${rounds:-1}
  BIG_MB=256; COPY_MB=128; MANY=10000; CREATE=200; SEQW_MB=128; FIO_SECS=2; LIMIT=300
else
  mode=full; rounds=${rounds:-3}
  BIG_MB=2048; COPY_MB=1024; MANY=100000; CREATE=10000; SEQW_MB=1024; FIO_SECS=5; LIMIT=900
fi
SYSTEMS=(native kernel fuse-overlayfs jover jover-nopt)
GROUPS_ALL=(mount read stat readdir git seqwrite copyup create untar rmrf)
ops=(python3 "$here/lib/ops.py")
log() { echo "[$(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- tools and jover
need_install=()
for pair in fuse-overlayfs:fuse-overlayfs debootstrap:debootstrap fio:fio git:git mkfs.ext4:e2fsprogs \
            python3:python3 timeout:coreutils; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need_install+=("${pair#*:}")
done
if [ ${#need_install[@]} -gt 0 ]; then
  log "installing ${need_install[*]} with apt-get"
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_install[@]}" >/dev/null \
    || die "apt-get install ${need_install[*]} failed"
fi
[ -c /dev/fuse ] || die "/dev/fuse missing"
if [ ! -f "$root/target/jover.jar" ]; then
  log "building jover (mvn package)"
  (cd "$root" && mvn -B -q -Dmaven.test.skip=true package) || die "mvn package failed"
fi

run=$(mktemp -d /var/tmp/jover-bench-run.XXXXXX)
# A private copy of the jar: another build in the tree must not change the daemons mid-run.
mkdir -p "$run/jover" && cp -a "$root/target/jover.jar" "$root/target/lib" "$run/jover/"
export JOVER_JAR="$run/jover/jover.jar"
commit="$(cd "$root" && git rev-parse --short HEAD 2>/dev/null) (jar built $(date -u -r "$root/target/jover.jar" '+%F %T UTC'))"
jover_bin="$root/bin/jover"

spinners=()
cleanup() {
  for p in "${spinners[@]}"; do kill "$p" 2>/dev/null; done
  for m in "$run"/mnt/*; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
  umount "$run/fs" 2>/dev/null || umount -l "$run/fs" 2>/dev/null
  umount "$run/flatten" 2>/dev/null
  if [ $keep = 1 ]; then log "kept $run"; else rm -rf "$run"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- layers (built once)
apt_mirror() {
  # The Debian archive apt uses (debootstrap wants the same kind of URL).
  local u
  u=$( (cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {for (i=2;i<=NF;i++) print $i}';
        grep -h '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; break}}') \
      | grep -E '/debian/?$' | head -1)
  echo "${u:-http://deb.debian.org/debian}"
}

build_rootfs() {
  [ -f "$cache/rootfs.origin" ] && return 0
  rm -rf "$cache/rootfs" "$cache/rootfs.tmp"; mkdir -p "$cache"
  local mirror; mirror=$(apt_mirror)
  log "base layer: debootstrap --variant=minbase bookworm from $mirror (once, about a minute)"
  if debootstrap --variant=minbase bookworm "$cache/rootfs.tmp" "$mirror" > "$cache/debootstrap.log" 2>&1; then
    mv "$cache/rootfs.tmp" "$cache/rootfs"
    echo "Debian bookworm minbase (debootstrap from $mirror, $(date -u +%F))" > "$cache/rootfs.origin"
  else
    log "debootstrap failed (see $cache/debootstrap.log): FALLING BACK to a copy of this machine's /etc and parts of /usr"
    rm -rf "$cache/rootfs.tmp"; mkdir -p "$cache/rootfs.tmp/usr/share" "$cache/rootfs.tmp/usr/lib"
    cp -a /etc "$cache/rootfs.tmp/" && cp -a /usr/bin /usr/sbin "$cache/rootfs.tmp/usr/" \
      && cp -a /usr/share/doc /usr/share/man /usr/share/zoneinfo /usr/share/locale "$cache/rootfs.tmp/usr/share/" \
      && cp -a /usr/lib/x86_64-linux-gnu "$cache/rootfs.tmp/usr/lib/" 2>/dev/null
    mkdir -p "$cache/rootfs.tmp/var" "$cache/rootfs.tmp/dev"
    mv "$cache/rootfs.tmp" "$cache/rootfs"
    echo "FALLBACK: copy of this machine's /etc, /usr/bin, /usr/sbin, parts of /usr/share and /usr/lib (debootstrap could not reach $mirror)" > "$cache/rootfs.origin"
  fi
}

make_repo() {  # DIR: a git repository with one commit of a tree copied from the rootfs
  local dir=$1 r=$cache/rootfs
  mkdir -p "$dir"
  if [ $quick = 1 ]; then
    mkdir -p "$dir/doc"; cp -a "$r/usr/share/doc/." "$dir/doc/"; cp -a "$r/etc" "$dir/"
  else
    mkdir -p "$dir/a" "$dir/b"
    cp -a "$r/usr" "$r/etc" "$r/var" "$dir/a/"; cp -a "$r/usr/share" "$r/usr/lib" "$dir/b/"
  fi
  # cp -a keeps the files' old mtimes, so no entry is racily clean when the index is written.
  ( cd "$dir" && git init -q && git config gc.auto 0 && git add -A \
    && GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=bench \
       GIT_COMMITTER_EMAIL=bench@localhost GIT_AUTHOR_DATE=2024-01-01T00:00:00Z \
       GIT_COMMITTER_DATE=2024-01-01T00:00:00Z git commit -q -m tree \
    && sleep 1.1 && git update-index -q --refresh && test -z "$(git status --porcelain)" )
}

build_layers() {
  local c=$cache/$mode
  if [ -f "$c/ready" ]; then return 0; fi
  build_rootfs || die "no base layer"
  log "building the $mode layers in $c (once)"
  rm -rf "$c"; mkdir -p "$c"
  local base=$c/base app=$c/app flat=$c/flat
  # base: the rootfs, a big file, a copy-up file, a directory of many files, a git repository
  cp -a "$cache/rootfs" "$base" || die "copy of rootfs"
  mkdir -p "$base/bench"
  head -c "${BIG_MB}M" /dev/urandom > "$base/bench/big.bin"
  head -c "${COPY_MB}M" /dev/urandom > "$base/bench/copyup.bin"
  "${ops[@]}" make-many "$base/bench/many" "$MANY" || die "many files"
  # app: an application tree, a changed file, whiteouts (kernel format) and an opaque directory
  mkdir -p "$app/opt/app" "$app/etc" "$app/usr/share/doc"
  cp -a "$cache/rootfs/usr/lib/." "$app/opt/app/"
  echo "app layer" > "$app/etc/motd"
  ls "$base/usr/share/doc" | head -20 | while read -r d; do mknod "$app/usr/share/doc/$d" c 0 0; done
  if [ -d "$base/usr/share/zoneinfo" ]; then
    mkdir -p "$app/usr/share/zoneinfo"; echo UTC > "$app/usr/share/zoneinfo/only-this"
    "${ops[@]}" setxattr "$app/usr/share/zoneinfo" trusted.overlay.opaque y
  fi
  # flat: the merged view as plain directories, for native (built through a kernel overlay)
  mkdir -p "$flat" "$run/flatten"
  mount -t overlay overlay -o "ro,lowerdir=$app:$base" "$run/flatten" || die "kernel overlay for flattening"
  tar -C "$run/flatten" --exclude=./bench/big.bin --exclude=./bench/copyup.bin -cf - . | tar -C "$flat" -xpf - \
    || die "flattening"
  umount "$run/flatten"
  # repositories last: nothing may touch their files' inodes (ctime) after the index is written
  rm -rf "$flat/bench/repo"
  make_repo "$base/bench/repo" || die "git repository in base"
  make_repo "$flat/bench/repo" || die "git repository in flat"
  ln "$base/bench/big.bin" "$base/bench/copyup.bin" "$flat/bench/"
  # the tarball, the list of every path, counts
  if [ $quick = 1 ]; then
    tar -C "$cache/rootfs/usr/share" -cf "$c/tree.tar" ./doc ./man ; echo "usr/share/{doc,man}" > "$c/tree.name"
  else
    tar -C "$cache/rootfs" --exclude=./dev -cf "$c/tree.tar" . ; echo "rootfs" > "$c/tree.name"
  fi
  (cd "$flat" && find . -mindepth 1 -print0 | sed -z 's|^\./||') > "$c/stat.list"
  echo "$(find "$flat/bench/repo" -path '*/.git' -prune -o -type f -print | wc -l)" > "$c/repo.count"
  echo "$(find "$flat/usr/share" | wc -l)" > "$c/rmrf.count"
  touch "$c/ready"
}

mkdir -p "$run"/{mnt,fs,logs}
build_layers
C=$cache/$mode; BASE=$C/base; APP=$C/app; FLAT=$C/flat
log "base layer: $(cat "$cache/rootfs.origin")"

# ---------------------------------------------------------------- upper filesystem
truncate -s 24G "$run/upper.img"
mkfs.ext4 -q -F "$run/upper.img" || die mkfs
mount -o loop "$run/upper.img" "$run/fs" || die "loop mount"
FS=$run/fs
for s in "${SYSTEMS[@]}"; do mkdir -p "$run/mnt/$s" "$FS/$s"; done

if [ $spin = 1 ]; then
  for _ in $(seq "$(nproc)"); do chrt -i 0 bash -c 'while :; do :; done' & spinners+=($!); done
  spin_note="one SCHED_IDLE busy loop per CPU during the run"
else
  spin_note="idle CPUs (no busy loops)"
fi

# ---------------------------------------------------------------- systems
TICK=$(getconf CLK_TCK)
declare -A PID FG
results=$run/results.tsv
echo -e "workload\tsystem\tround\tvalue\tdaemon_cpu\tnote" > "$results"
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$results"; }
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.6f", (b - a) / 1e9}'; }

view() { if [ "$1" = native ]; then echo "$FLAT"; else echo "$run/mnt/$1"; fi; }
wdir() { if [ "$1" = native ]; then echo "$FS/native/ws"; else echo "$run/mnt/$1"; fi; }

daemon_pid() {  # the process whose last argument is the mount point
  local mnt=$1 d last
  for d in /proc/[0-9]*; do
    last=$(tr "\0" "\n" 2>/dev/null < "$d/cmdline" | tail -1)
    [ "$last" = "$mnt" ] && { echo "${d#/proc/}"; return 0; }
  done
  return 1
}
cpu_of() {  # utime+stime of a pid in clock ticks
  local p=${1:-}
  [ -n "$p" ] && [ -r "/proc/$p/stat" ] || { echo 0; return; }
  sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}'
}
jstats() {  # jover's READ and WRITE request counters ("reads writes"), from SIGUSR1 on its stderr
  local s=$1 p=${PID[$1]:-} n i line
  case $s in jover|jover-nopt) ;; *) echo "- -"; return ;; esac
  [ -n "${FG[$s]:-}" ] && alive "$p" || { echo "- -"; return; }
  n=$(grep -c jover-stats "$run/logs/$s.log")
  kill -USR1 "$p"
  for i in $(seq 100); do [ "$(grep -c jover-stats "$run/logs/$s.log")" -gt "$n" ] && break; sleep 0.01; done
  line=$(grep jover-stats "$run/logs/$s.log" | tail -1)
  echo "$(sed -n 's/.* reads=\([0-9]*\).*/\1/p' <<< "$line") $(sed -n 's/.* writes=\([0-9]*\).*/\1/p' <<< "$line")"
}
rss_of() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null; }

alive() { local st; st=$(sed "s/.*) //" "/proc/$1/stat" 2>/dev/null) && [ "${st%% *}" != Z ]; }

# mount_sys SYSTEM [launcher]: mounts it; MT = seconds from command to mounted.
# jover runs in the foreground (-f) as our child, so its stderr reaches logs/ (the launcher's
# background daemon points its stdio at /dev/null) and SIGUSR1 statistics can be read; the
# mount-ready metric uses the real launcher (returns once mounted).
mount_sys() {
  local s=$1 how=${2:-fg} m=$run/mnt/$1 u=$FS/$1/upper w=$FS/$1/work t0 t1 rc=0 pt i
  local opts="lowerdir=$APP:$BASE,upperdir=$u,workdir=$w"
  PID[$s]=""; FG[$s]=""
  t0=$(now)
  case $s in
    kernel) mount -t overlay overlay -o "$opts" "$m" 2>>"$run/logs/$s.log" || rc=$? ;;
    fuse-overlayfs) fuse-overlayfs -o "$opts" "$m" >>"$run/logs/$s.log" 2>&1 || rc=$? ;;
    jover|jover-nopt)
      pt=on; [ "$s" = jover-nopt ] && pt=off
      if [ "$how" = launcher ]; then
        "$jover_bin" mount -o "$opts,passthrough=$pt" "$m" >>"$run/logs/$s.log" 2>&1 || rc=$?
      else
        "$jover_bin" mount -f -o "$opts,passthrough=$pt" "$m" >>"$run/logs/$s.log" 2>&1 &
        PID[$s]=$!; FG[$s]=1
        for i in $(seq 3000); do
          mountpoint -q "$m" && break
          alive "${PID[$s]}" || { rc=1; break; }
          sleep 0.01
        done
        mountpoint -q "$m" || rc=1
      fi ;;
  esac
  t1=$(now)
  [ $rc = 0 ] || { log "mount of $s failed (rc $rc): $(tail -3 "$run/logs/$s.log")"; return 1; }
  case $s in fuse-overlayfs|jover|jover-nopt) [ -n "${PID[$s]}" ] || PID[$s]=$(daemon_pid "$m") ;; esac
  MT=$(secs "$t0" "$t1")
}

umount_sys() {
  local s=$1 m=$run/mnt/$1 p=${PID[$1]:-} i rc
  mountpoint -q "$m" || return 0
  if ! umount "$m" 2>/dev/null; then
    umount -l "$m" 2>/dev/null
  fi
  if [ -n "$p" ]; then  # wait for the daemon to exit: its memory and CPU are not the next run's
    for i in $(seq 200); do alive "$p" || break; sleep 0.05; done
    alive "$p" && log "WARNING: $s daemon $p still alive 10 s after umount"
    [ -n "${FG[$s]:-}" ] && ! alive "$p" && { wait "$p" 2>/dev/null; rc=$?; [ $rc = 0 ] || log "$s daemon exited with $rc: $(tail -3 "$run/logs/$s.log" | tr '\n' ' ')"; }
  fi
  PID[$s]=""; FG[$s]=""
}

abort_fuse() {  # a hung FUSE mount: abort its connection
  local m=$run/mnt/$1 dev
  dev=$(mountpoint -d "$m" 2>/dev/null | cut -d: -f2)
  [ -n "$dev" ] && [ -e "/sys/fs/fuse/connections/$dev/abort" ] && echo 1 > "/sys/fs/fuse/connections/$dev/abort"
  umount -l "$m" 2>/dev/null
}

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# fresh SYSTEM: unmount, empty the upper/work (or native's scratch dir), drop caches, mount.
fresh() {
  local s=$1 r=$2
  umount_sys "$s"
  rm -rf "$FS/$s/upper" "$FS/$s/work" "$FS/$s/ws"
  mkdir -p "$FS/$s/upper" "$FS/$s/work" "$FS/$s/ws"
  drop_caches
  if [ "$s" != native ]; then
    mount_sys "$s" || return 1
  fi
}

# --requests: the fuse:fuse_request_send events of one FUSE connection, counted by opcode
TRACING=/sys/kernel/tracing
TRACE=$TRACING/events/fuse/fuse_request_send
conn_of() { local d; d=$(mountpoint -d "$run/mnt/$1" 2>/dev/null) || return 1; echo $(( (${d%%:*} << 20) | ${d##*:} )); }
trace_start() {
  [ $requests = 1 ] || return 0
  case $1 in fuse-overlayfs|jover|jover-nopt) ;; *) return 0 ;; esac
  TCONN=$(conn_of "$1") || return 0
  echo "connection == $TCONN" > "$TRACE/filter"
  : > "$TRACING/trace"
  echo 1 > "$TRACE/enable"
}
trace_stop() {  # WORKLOAD SYSTEM ROUND -> appends "workload system opcode count" lines (not for round 0)
  [ $requests = 1 ] && [ -n "${TCONN:-}" ] || return 0
  echo 0 > "$TRACE/enable"
  [ "$3" -gt 0 ] && sed -n 's/.* opcode \([0-9]*\) .*/\1/p' "$TRACING/trace" | sort | uniq -c \
    | awk -v w="$1" -v s="$2" '{print w "\t" s "\t" $2 "\t" $1}' >> "$run/requests.tsv"
  grep -q 'LOST' "$TRACING/trace" && log "WARNING: trace events lost for $1 on $2"
  : > "$TRACING/trace"
  TCONN=""
}

# measure WORKLOAD SYSTEM ROUND KIND -- COMMAND...   KIND: ext (time the command) or self (the
# command prints elapsed=S). Records the value and the daemon's CPU seconds; a failure records
# ERR (HANG after the time limit) with the command's output kept in logs/.
measure() {
  local w=$1 s=$2 r=$3 kind=$4; shift 5
  local p=${PID[$s]:-} c0 c1 t0 t1 rc v o=$run/logs/$w.$s.$r.out st0 st1 note=""
  st0=$(jstats "$s")
  trace_start "$s"
  c0=$(cpu_of "$p"); t0=$(now)
  timeout -k 10 "$LIMIT" "$@" > "$o" 2>&1; rc=$?
  t1=$(now); c1=$(cpu_of "$p")
  trace_stop "$w" "$s" "$r"
  st1=$(jstats "$s")
  if [ "${st0%% *}" != - ] && [ "${st1%% *}" != - ] && [ -n "${st1%% *}" ] && [ -n "${st0%% *}" ]; then
    note="fuse_reads=$(( ${st1%% *} - ${st0%% *} )) fuse_writes=$(( ${st1##* } - ${st0##* } ))"
  fi
  local cpu=-
  [ -n "$p" ] && cpu=$(awk -v a="$c0" -v b="$c1" -v t="$TICK" 'BEGIN {printf "%.2f", (b - a) / t}')
  if [ $rc = 0 ]; then
    if [ "$kind" = self ]; then v=$(sed -n 's/^elapsed=//p' "$o"); else v=$(secs "$t0" "$t1"); fi
    record "$w" "$s" "$r" "$v" "$cpu" "$note"
    LAST=$v
    return 0
  fi
  if [ $rc = 124 ] || [ $rc = 137 ]; then v=HANG; else v=ERR; fi
  LAST=$v
  record "$w" "$s" "$r" "$v" "$cpu" "rc=$rc"
  log "$v: $w on $s (round $r, rc $rc): $* -- output: $(tail -3 "$o" | tr '\n' ' ')"
  if [ "$s" != native ] && [ "$s" != kernel ]; then
    log "  $s daemon log tail: $(tail -5 "$run/logs/$s.log" | tr '\n' ' ')"
    [ $v = HANG ] && abort_fuse "$s"
  fi
  echo "$w $s round $r: $v rc=$rc; command: $*" >> "$run/failures"
  return 1
}

# ---------------------------------------------------------------- workloads
# Each group: g_NAME SYSTEM ROUND. Cold = fresh mount (daemon restarted) after drop_caches;
# the timer covers the workload only, never the daemon's start-up (that is mount_ready).
g_mount() {  # time from command to mounted (bin/jover as a user runs it): after drop_caches, then warm x3
  local s=$1 r=$2 i
  [ "$s" = native ] && return 0
  umount_sys "$s"; mkdir -p "$FS/$s/upper" "$FS/$s/work"; drop_caches
  if mount_sys "$s" launcher; then record mount_ready_cold "$s" "$r" "$MT" - ""; else record mount_ready_cold "$s" "$r" ERR - ""; fi
  for i in 1 2 3; do
    umount_sys "$s"
    if mount_sys "$s" launcher; then record mount_ready "$s" "$r" "$MT" - ""; else record mount_ready "$s" "$r" ERR - ""; fi
  done
}
g_read() {
  local s=$1 r=$2 v; v=$(view "$s")
  fresh "$s" "$r" || return 0
  measure seqread_cold "$s" "$r" ext -- dd if="$v/bench/big.bin" of=/dev/null bs=1M
  measure seqread_warm "$s" "$r" ext -- dd if="$v/bench/big.bin" of=/dev/null bs=1M
  local o=$run/logs/fio.$s.$r.json
  if measure randread_run "$s" "$r" ext -- fio --name=rr --filename="$v/bench/big.bin" --readonly --rw=randread \
      --bs=4k --ioengine=psync --invalidate=0 --time_based --runtime="$FIO_SECS" --output-format=json --output="$o"; then
    record randread "$s" "$r" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["jobs"][0]["read"]["iops"])' "$o")" \
      "$(tail -1 "$results" | cut -f5)" "$(tail -1 "$results" | cut -f6)"
  fi
}
g_stat() {
  local s=$1 r=$2 v; v=$(view "$s")
  fresh "$s" "$r" || return 0
  measure stat_cold "$s" "$r" self -- "${ops[@]}" stat "$C/stat.list" "$v"
  [ -n "${PID[$s]:-}" ] && record rss_after_stat "$s" "$r" "$(rss_of "${PID[$s]}")" - ""
  measure stat_warm "$s" "$r" self -- "${ops[@]}" stat "$C/stat.list" "$v"
}
g_readdir() {
  local s=$1 r=$2 v; v=$(view "$s")
  fresh "$s" "$r" || return 0
  measure readdir_cold "$s" "$r" self -- "${ops[@]}" readdir "$v/bench/many"
  measure readdir_warm "$s" "$r" self -- "${ops[@]}" readdir "$v/bench/many"
}
git_status() { cd "$1" && out=$(git status --porcelain) && { [ -z "$out" ] || { echo "NOT CLEAN: $out" | head -5; exit 1; }; }; }
g_git() {
  local s=$1 r=$2 v; v=$(view "$s")
  fresh "$s" "$r" || return 0
  measure git_cold "$s" "$r" ext -- bash -c "$(declare -f git_status); git_status '$v/bench/repo'"
  measure git_warm "$s" "$r" ext -- bash -c "$(declare -f git_status); git_status '$v/bench/repo'"
}
g_seqwrite() {
  local s=$1 r=$2 d; d=$(wdir "$s")
  fresh "$s" "$r" || return 0
  measure seqwrite "$s" "$r" ext -- dd if=/dev/zero of="$d/seqwrite.bin" bs=1M count="$SEQW_MB" conv=fsync
}
g_copyup() {
  local s=$1 r=$2 d; d=$(wdir "$s")
  fresh "$s" "$r" || return 0
  local f
  if [ "$s" = native ]; then cp "$FLAT/bench/copyup.bin" "$d/copyup.bin"; drop_caches; f=$d/copyup.bin
  else f=$d/bench/copyup.bin; fi
  measure copyup "$s" "$r" self -- "${ops[@]}" append "$f"
}
g_create() {
  local s=$1 r=$2 d; d=$(wdir "$s")
  fresh "$s" "$r" || return 0
  measure create "$s" "$r" self -- "${ops[@]}" create "$d/created" "$CREATE"
}
g_untar() {
  local s=$1 r=$2 d; d=$(wdir "$s")
  fresh "$s" "$r" || return 0
  mkdir "$d/untar"
  measure untar "$s" "$r" ext -- tar -C "$d/untar" -xf "$C/tree.tar"
}
g_rmrf() {
  local s=$1 r=$2 d; d=$(wdir "$s")
  fresh "$s" "$r" || return 0
  local t
  if [ "$s" = native ]; then cp -a "$FLAT/usr/share" "$d/share"; drop_caches; t=$d/share
  else t=$d/usr/share; fi
  measure rmrf "$s" "$r" ext -- rm -rf "$t"
}

# ---------------------------------------------------------------- run
groups=("${GROUPS_ALL[@]}")
[ -n "$only" ] && IFS=, read -r -a groups <<< "$only"
host_desc="$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem/ {print $2}') GiB RAM, root fs $(findmnt -no FSTYPE /) ($(findmnt -no OPTIONS / | cut -c1-60))"
log "mode $mode, $rounds measured rounds + 1 warm-up, groups: ${groups[*]}; $spin_note"
log "machine: $host_desc; kernel $(uname -r)"

# sanity: passthrough really on for jover
fresh jover 0 && kill -USR1 "${PID[jover]}" 2>/dev/null && sleep 0.3
grep -q 'passthrough=1' "$run/logs/jover.log" && pt_note="passthrough active (daemon reports passthrough=1)" \
  || pt_note="WARNING: jover did not report passthrough=1: $(grep jover-stats "$run/logs/jover.log" | tail -1)"
log "jover: $pt_note"
umount_sys jover

if [ $requests = 1 ]; then
  mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing || die "no tracefs"
  [ -d "$TRACE" ] || die "this kernel has no fuse:fuse_request_send tracepoint"
  echo 131072 > "$TRACING/buffer_size_kb"
  : > "$run/requests.tsv"
fi
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
awk '{exit !($1 > 1.0)}' /proc/loadavg && log "WARNING: load average $load_start before the run: other processes compete for the CPUs (2 here); FUSE round trips suffer most"
start=$(date +%s)
for g in "${groups[@]}"; do
  declare -f "g_$g" >/dev/null || die "unknown group $g"
  for r in $(seq 0 "$rounds"); do
    n=${#SYSTEMS[@]}
    for i in $(seq 0 $((n - 1))); do
      s=${SYSTEMS[$(( (i + r) % n ))]}
      "g_$g" "$s" "$r"
      [ "$s" != native ] && umount_sys "$s"
    done
    log "$g: round $r done ($(( $(date +%s) - start )) s, load $(cut -d' ' -f1 /proc/loadavg))"
    echo "$g $r $(cut -d' ' -f1 /proc/loadavg)" >> "$run/load"
  done
done

# ---------------------------------------------------------------- report
mkdir -p "$here/results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
if [ $requests = 1 ]; then
  out=${out:-$here/results/$stamp-$mode-requests.md}
  python3 "$here/lib/requests.py" "$run/requests.tsv" "$results" "$out" "$cmdline" "$commit"
  echo; echo "results: $out"
  exit 0
fi
out=${out:-$here/results/$stamp-$mode.md}
cp "$results" "${out%.md}.tsv"
{
  echo "mode=$mode"
  echo "date=$(date -u '+%F %T UTC')"
  echo "command=$cmdline"
  echo "machine=$host_desc"
  echo "kernel=$(uname -r)"
  echo "java=$(java -version 2>&1 | head -1)"
  echo "fuse-overlayfs=$(fuse-overlayfs --version 2>/dev/null | awk '/fuse-overlayfs/ {print $3}')"
  echo "jover=commit $commit; $pt_note"
  echo "rootfs=$(cat "$cache/rootfs.origin")"
  echo "rounds=$rounds measured (median) after 1 warm-up, systems rotated each round"
  echo "cpus=$spin_note"
  echo "load=1-min load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end; median at the end of each round $(awk '{print $3}' "$run/load" 2>/dev/null | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') (other processes on the machine: $(nproc) CPUs)"
  echo "notes=uppers on a fresh journaled ext4 (loop over a sparse file on the root fs); cold = umount + drop_caches + fresh mount (daemon restarted), timer excludes daemon start-up and JVM start, includes a fresh JIT; warm = same mount, right after the cold run"
  echo "big=$((BIG_MB / 1024 > 0 ? BIG_MB / 1024 : 0)) GiB"; echo "seqw=$SEQW_MB MiB"; echo "copy=$COPY_MB MiB"
  echo "nstat=$(tr -cd '\0' < "$C/stat.list" | wc -c)"; echo "many=$MANY"; echo "repo=$(cat "$C/repo.count")"
  echo "create=$CREATE"; echo "tar=$(cat "$C/tree.name") ($(du -m "$C/tree.tar" | cut -f1) MiB, $(tar -tf "$C/tree.tar" | wc -l) entries)"
  echo "rmrf=$(cat "$C/rmrf.count")"
} > "$run/meta"
[ $BIG_MB -lt 1024 ] && sed -i "s/^big=.*/big=$BIG_MB MiB/" "$run/meta"
python3 "$here/lib/report.py" "$results" "$run/meta" "$out"
if [ -s "$run/failures" ]; then
  echo; echo "FAILURES:"; cat "$run/failures"
  { echo; echo "Failures:"; echo; sed 's/^/- /' "$run/failures"; } >> "$out"
  cp "$run"/logs/*.log "$here/results/" 2>/dev/null
fi
echo; echo "results: $out (raw: ${out%.md}.tsv); took $(( $(date +%s) - start )) s"
