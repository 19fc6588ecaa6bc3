#!/usr/bin/env bash
# Install the jars of Apache Kafka 4.3.1 (broker + KRaft controller) from Maven Central
# into "${THIDUA_CACHE:-$HOME/.cache/thidua}/kafka-4.3.1/libs".
# Idempotent: does nothing when the libs dir is complete for the current pom.xml
# (marker file holds the sha256 of pom.xml). Uses the default ~/.m2 repository.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pom="$here/pom.xml"
cache="${THIDUA_CACHE:-$HOME/.cache/thidua}"
home="$cache/kafka-4.3.1"
libs="$home/libs"
marker="$home/.installed"

want="$(sha256sum "$pom" | cut -d' ' -f1)"
if [[ -f "$marker" && "$(cat "$marker")" == "$want" && -d "$libs" ]] \
   && compgen -G "$libs/kafka_2.13-4.3.1.jar" >/dev/null; then
  echo "kafka 4.3.1: already installed in $libs"
  exit 0
fi

command -v mvn >/dev/null || { echo "install.sh: mvn not found on PATH" >&2; exit 1; }

mkdir -p "$home"
tmp="$(mktemp -d "$home/libs.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# Fully qualified goal so the plugin version is pinned even without the POM's pluginManagement.
# Maven's output (Debian's 3.8 prints stray colour codes even with -B -q) is kept in a log
# and shown only on failure.
log="$home/install.log"
if ! mvn -B -q -f "$pom" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" >"$log" 2>&1; then
  cat "$log" >&2
  echo "install.sh: mvn dependency:copy-dependencies failed (log: $log)" >&2
  exit 1
fi

[[ -f "$tmp/kafka_2.13-4.3.1.jar" ]] || { echo "install.sh: kafka_2.13-4.3.1.jar missing after copy" >&2; exit 1; }

rm -rf "$libs" "$marker"
mv "$tmp" "$libs"
trap - EXIT
echo "$want" > "$marker"
jars=("$libs"/*.jar)
echo "kafka 4.3.1: installed ${#jars[@]} jars into $libs"
