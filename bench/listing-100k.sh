#!/usr/bin/env bash
# The foundation's acceptance check: over a lower tree of 100,000 files (with whiteouts and
# opaque directories), jover's merged listing and file contents equal kernel overlayfs's, and
# the time of a full `find` under each, cold (caches dropped, jover restarted) and warm.
#
#   sudo bench/listing-100k.sh [ROUNDS]      (needs target/jover.jar: mvn -B package)
#
# Runs in a private mount namespace; alternates the systems each round and prints medians.
set -euo pipefail
if [ -z "${JOVER_BENCH_UNSHARED:-}" ]; then
  exec env JOVER_BENCH_UNSHARED=1 unshare -m --propagation private "$0" "$@"
fi
rounds=${1:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
jover="$root/bin/jover"
work=$(mktemp -d /var/tmp/jover-bench.XXXXXX)
trap 'umount -l "$work/k" "$work/j" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work"/{L1,L2,k,j}

echo "building layers in $work ..." >&2
# Bottom layer: 100 directories x 1,000 files.
for d in $(seq -w 0 99); do
  mkdir "$work/L2/d$d"
  ( cd "$work/L2/d$d" && for f in $(seq -w 0 999); do printf 'file %s/%s\n' "$d" "$f" > "f$f"; done )
done
# Top layer: replaces 10 files per directory, whites out 10, adds 10; five opaque directories
# (without whiteouts inside: the kernel lists those as unreadable entries, see README).
opaque=" 10 20 30 40 50 "
for d in $(seq -w 0 99); do
  mkdir "$work/L1/d$d"
  for f in $(seq -w 0 9); do
    printf 'top %s/%s\n' "$d" "$f" > "$work/L1/d$d/f00$f"
    [[ $opaque == *" $d "* ]] || mknod "$work/L1/d$d/f01$f" c 0 0
    printf 'new %s/%s\n' "$d" "$f" > "$work/L1/d$d/n$f"
  done
done
for d in $opaque; do setfattr -n trusted.overlay.opaque -v y "$work/L1/d$d" 2>/dev/null \
  || python3 -c "import os,sys; os.setxattr(sys.argv[1], 'trusted.overlay.opaque', b'y')" "$work/L1/d$d"; done
echo "files in the lower layers: $(find "$work/L1" "$work/L2" -type f | wc -l)" >&2

mount_kernel() { mount -t overlay overlay -o ro,lowerdir="$work/L1:$work/L2" "$work/k"; }
mount_jover() { "$jover" mount -o lowerdir="$work/L1:$work/L2" "$work/j"; }
listing() { (cd "$1" && find . -printf '%y %m %u %s %p\n' | LC_ALL=C sort); }
hashes() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }
now() { date +%s.%N; }
timed_find() { local t0 t1; t0=$(now); find "$1" -printf '%y %m %u %s %p\n' >/dev/null; t1=$(now); echo "$t1 - $t0" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

mount_kernel; mount_jover
listing "$work/k" > "$work/k.list"; listing "$work/j" > "$work/j.list"
hashes "$work/k" > "$work/k.sha"; hashes "$work/j" > "$work/j.sha"
if cmp -s "$work/k.list" "$work/j.list" && cmp -s "$work/k.sha" "$work/j.sha"; then
  echo "merged listing: identical ($(wc -l < "$work/j.list") entries, $(wc -l < "$work/j.sha") file hashes)"
else
  echo "merged listing DIFFERS:"; diff "$work/k.list" "$work/j.list" | head -20; diff "$work/k.sha" "$work/j.sha" | head -20
  exit 1
fi

: > "$work/times"
for r in $(seq 1 "$rounds"); do
  for sys in k j; do
    umount "$work/$sys"
    sync; echo 3 > /proc/sys/vm/drop_caches
    if [ $sys = k ]; then mount_kernel; else mount_jover; fi
    echo "$sys cold $(timed_find "$work/$sys")" >> "$work/times"
    echo "$sys warm $(timed_find "$work/$sys")" >> "$work/times"
  done
done
printf '%-6s %10s %10s %10s\n' "" kernel jover ratio
for kind in cold warm; do
  k=$(awk -v k=$kind '$1=="k" && $2==k {print $3}' "$work/times" | median)
  j=$(awk -v k=$kind '$1=="j" && $2==k {print $3}' "$work/times" | median)
  printf '%-6s %9.3fs %9.3fs %9.2fx\n' "$kind" "$k" "$j" "$(echo "$j / $k" | bc -l)"
done
echo "(find -printf over $(wc -l < "$work/j.list") entries; median of $rounds rounds; jover cold includes a fresh daemon, not its start-up)"
