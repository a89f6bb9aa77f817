#!/usr/bin/env bash
# The lookup/copy-up race of issue 10 (jover.copyup.LookupRace), run long: writers append to
# lower files (each append copies one up) while readers stat the same names and list their
# directory; after each append every way of asking must show the new size and content. The
# build runs 15 s per passthrough mode (LookupRaceTest); this runs MINUTES per mode, both modes
# one after the other, and writes the summary to bench/results/.
#
#   sudo bench/race.sh [MINUTES] [FILES_PER_EPOCH] [WRITERS] [READERS]     (default 10 2000 2 4)
#
# Needs root and /dev/fuse; builds with mvn if target/test-classes is missing. Exit status 1
# when any mode found a failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
minutes=${1:-10}; files=${2:-2000}; writers=${3:-2}; readers=${4:-4}
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
cd "$root"
if [ ! -d target/test-classes/jover/copyup ]; then
  mvn -B -q -DskipTests test-compile || exit 1
fi
cp=$(mktemp); trap 'rm -f "$cp"' EXIT
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=test >/dev/null || exit 1
out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-race.md"
status=0
{
  echo "# LookupRace, $minutes min per passthrough mode ($(git rev-parse --short HEAD), $(date -u +%FT%TZ))"
  echo
  echo "Command: \`bench/race.sh $minutes $files $writers $readers\`; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
} > "$out"
for mode in auto off; do
  line=$(java -cp "target/classes:target/test-classes:$(cat "$cp")" jover.copyup.LookupRace \
      "$minutes" "$mode" "$files" "$writers" "$readers" 2>&1) || status=1
  echo "$line"
  { echo '```'; echo "$line"; echo '```'; echo; } >> "$out"
done
echo "wrote $out"
exit $status
