#!/usr/bin/env bash
# Builds thidua-docstore (deploy/docstore, docs/adr/0016) into the thidua cache:
#   ${THIDUA_CACHE:-$HOME/.cache/thidua}/docstore-<hash>/{thidua-docstore.jar,libs/*.jar}
# Rebuilds only when the sources or pom.xml change (their hash names the folder). Maven's repository (~/.m2)
# caches the downloads. The build happens in a copy under the cache, so the work tree gets no target/ folder.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${THIDUA_CACHE:-$HOME/.cache/thidua}"
want="$(cd "$here" && find pom.xml src -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)"
home="$cache/docstore-$want"
if [[ -f "$home/thidua-docstore.jar" && -d "$home/libs" ]]; then
  echo "thidua-docstore: up to date in $home"
  exit 0
fi
command -v mvn >/dev/null || { echo "install.sh: mvn not found on PATH" >&2; exit 1; }

mkdir -p "$cache"
work="$(mktemp -d "$cache/docstore.build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -r "$here/pom.xml" "$here/src" "$work/"
log="$work/build.log"
start=$SECONDS
if ! mvn -B -q -f "$work/pom.xml" -DskipTests package \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$work/out/libs" >"$log" 2>&1; then
  cat "$log" >&2
  echo "install.sh: building thidua-docstore failed" >&2
  exit 1
fi
cp "$work/target/thidua-docstore-1.0.0.jar" "$work/out/thidua-docstore.jar"
rm -rf "$home"
mv "$work/out" "$home"
echo "thidua-docstore: built $home in $((SECONDS - start))s"
