#!/usr/bin/env bash
# Builds the Debian package of jover from what `mvn package` made: run by Maven (exec-maven-plugin,
# package phase, after the jar, target/lib/ and the completion script), or by hand after it:
#
#   packaging/build-deb.sh POM_VERSION TARGET_DIR [JAVA_HOME]   # e.g. 0.1.0-SNAPSHOT target
#
# (JAVA_HOME's bin/jar reads the jar's manifest where no jar tool is on PATH.)
# Writes TARGET_DIR/jover_VERSION_all.deb, VERSION being the top entry of packaging/deb/changelog.
# Sources: packaging/deb/{control,copyright,changelog,lintian-overrides}, bin/jover (installed as /usr/bin/jover: it
# finds /usr/share/jover/jover.jar itself), man/jover.1. Without dpkg-deb it only says so and
# succeeds, so that the build passes on a machine that cannot make .deb files.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 POM_VERSION TARGET_DIR [JAVA_HOME]" >&2
  exit 2
fi
pom_version=$1
target=$(cd "$2" && pwd)
jar_tool=jar
if ! command -v jar >/dev/null 2>&1 && [ -n "${3:-}" ] && [ -x "$3/bin/jar" ]; then
  jar_tool=$3/bin/jar
fi
base=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src=$base/packaging/deb

if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "jover packaging: dpkg-deb not found: skipping the .deb (install dpkg to build it)"
  exit 0
fi
for f in "$target/jover.jar" "$target/completion/jover" "$base/bin/jover" "$base/man/jover.1"; do
  if [ ! -f "$f" ]; then
    echo "jover packaging: $f is missing: run 'mvn package' first" >&2
    exit 1
  fi
done

# The version is the changelog's top entry; its upstream part must be the pom's version
# (-SNAPSHOT written ~SNAPSHOT, which sorts before the release).
top=$(head -n 1 "$src/changelog")
version=$(sed -n '1s/^jover (\([^)]*\)).*/\1/p' "$src/changelog")
if [ -z "$version" ]; then
  echo "jover packaging: cannot read the version from '$top' in $src/changelog" >&2
  exit 1
fi
if [ "${version%-*}" != "${pom_version//-/\~}" ]; then
  echo "jover packaging: warning: packaging/deb/changelog is at $version but the pom at $pom_version:" \
       "add a changelog entry for ${pom_version//-/\~}-1" >&2
fi
# Every file gets the time of the changelog's top entry: the same sources give the same .deb.
stamp=$(sed -n 's/^ -- .*>  //p' "$src/changelog" | head -n 1)
export SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=$(date -d "$stamp" +%s)

work=$target/deb
root=$work/root
rm -rf "$work"
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/jover/lib" "$root/usr/share/man/man1" \
         "$root/usr/share/bash-completion/completions" "$root/usr/share/doc/jover" \
         "$root/usr/share/lintian/overrides"

install -m 0755 "$base/bin/jover" "$root/usr/bin/jover"
install -m 0644 "$target/jover.jar" "$root/usr/share/jover/jover.jar"
# Exactly the jars the manifest's Class-Path names (target/lib may hold stale ones).
mkdir -p "$work/manifest"
(cd "$work/manifest" && "$jar_tool" xf "$target/jover.jar" META-INF/MANIFEST.MF)
classpath=$(tr -d '\r' < "$work/manifest/META-INF/MANIFEST.MF" \
  | awk '/^Class-Path:/ { cp = substr($0, 13); more = 1; next }
         more && /^ / { cp = cp substr($0, 2); next }
         { more = 0 }
         END { print cp }')
for entry in $classpath; do
  case "$entry" in
    lib/*.jar) install -m 0644 "$target/$entry" "$root/usr/share/jover/$entry" ;;
    *) echo "jover packaging: unexpected Class-Path entry '$entry' in jover.jar" >&2; exit 1 ;;
  esac
done
gzip -9n < "$base/man/jover.1" > "$root/usr/share/man/man1/jover.1.gz"
install -m 0644 "$target/completion/jover" "$root/usr/share/bash-completion/completions/jover"
install -m 0644 "$src/copyright" "$root/usr/share/doc/jover/copyright"
gzip -9n < "$src/changelog" > "$root/usr/share/doc/jover/changelog.Debian.gz"
install -m 0644 "$src/lintian-overrides" "$root/usr/share/lintian/overrides/jover"

find "$root" -type d -exec chmod 0755 {} +
find "$root/usr" -type f ! -path "$root/usr/bin/*" -exec chmod 0644 {} +
installed_size=$(du -k -s --apparent-size --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$installed_size/" "$src/control" > "$root/DEBIAN/control"
(cd "$root" && find usr -type f | LC_ALL=C sort | xargs md5sum > DEBIAN/md5sums)
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
find "$root" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +

deb=$target/jover_${version}_all.deb
rm -f "$target"/jover_*_all.deb
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
