#!/usr/bin/env bash
# Builds jover, mounts the bundled example (layers/app over layers/base), shows the merged view
# and unmounts. Needs root and /dev/fuse.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${JOVER_SKIP_BUILD:-}" ] || mvn -B -q -Dmaven.test.skip=true package
mnt=$(mktemp -d "${TMPDIR:-/tmp}/jover-example.XXXXXX")
bin/jover mount -o lowerdir=examples/layers/app:examples/layers/base "$mnt"
trap 'bin/jover umount "$mnt" && rmdir "$mnt"' EXIT
echo "== layers (top first): app, base"
(cd examples/layers && find app base -mindepth 1 | sort | sed 's/^/   /')
echo "== merged view at $mnt (no obsolete.txt, no .wh.* names, var/cache opaque)"
(cd "$mnt" && find . -mindepth 1 -printf '%y %m %p\n' | sort | sed 's/^/   /')
echo "== etc/app.conf: $(cat "$mnt/etc/app.conf")   usr/bin/hello: $("$mnt/usr/bin/hello")"
