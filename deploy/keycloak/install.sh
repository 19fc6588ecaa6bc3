#!/usr/bin/env bash
# Install the Keycloak server distribution used by thidua (local dev / CI).
#
#   deploy/keycloak/install.sh
#
# - downloads keycloak-quarkus-dist-$KC_VERSION.tar.gz from Maven Central into
#   "$THIDUA_CACHE/downloads/" and verifies it against the published .sha1;
# - extracts it into "$THIDUA_CACHE/keycloak-$KC_VERSION";
# - runs `kc.sh build` with the build-time options below, once: a marker file
#   holds a hash of those options, so changing an option triggers a rebuild.
#
# Idempotent; safe to run concurrently (flock). Prints one line on success.
# Env: THIDUA_CACHE (default ~/.cache/thidua), JAVA_HOME (optional).
set -euo pipefail

KC_VERSION=26.7.3
CACHE="${THIDUA_CACHE:-$HOME/.cache/thidua}"
DOWNLOADS="$CACHE/downloads"
KC_HOME="$CACHE/keycloak-$KC_VERSION"
TARBALL_NAME="keycloak-quarkus-dist-$KC_VERSION.tar.gz"
URL="https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/$KC_VERSION/$TARBALL_NAME"

# Build-time options (persisted in lib/quarkus by `kc.sh build`; start uses --optimized).
#  - organization is a supported feature enabled by default since Keycloak 26.0: nothing to add.
#  - cache, http, hostname, db-url, ... are runtime options: see run.sh.
BUILD_OPTS=(
  --db=dev-file
  --health-enabled=true
  --metrics-enabled=false
)

say() { printf 'keycloak-install: %s\n' "$*"; }
die() { printf 'keycloak-install: ERROR: %s\n' "$*" >&2; exit 1; }

# --- pick a JDK (same rule as run.sh): JAVA_HOME if set, else Temurin 25, else java on PATH
pick_java() {
  local cand
  for cand in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "$(command -v java 2>/dev/null || true)"; do
    [[ -n "$cand" && -x "$cand" ]] || continue
    local major
    major="$("$cand" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')"
    if [[ -n "$major" && "$major" -ge 17 ]]; then
      printf '%s\n' "$(cd "$(dirname "$cand")/.." && pwd)"
      return 0
    fi
  done
  return 1
}

fetch() { # url dest
  curl -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 -o "$2" "$1"
}

mkdir -p "$DOWNLOADS"
exec 9>"$CACHE/.keycloak-install.lock"
flock 9

did=()

# --- 1. download + verify (skipped when already extracted and verified earlier)
if [[ ! -f "$KC_HOME/.thidua-extracted" ]]; then
  tarball="$DOWNLOADS/$TARBALL_NAME"
  sha_file="$tarball.sha1"
  [[ -s "$sha_file" ]] || { fetch "$URL.sha1" "$sha_file.part" && mv "$sha_file.part" "$sha_file"; }
  want="$(tr -d '[:space:]' <"$sha_file" | cut -c1-40)"
  [[ "$want" =~ ^[0-9a-f]{40}$ ]] || { rm -f "$sha_file"; die "bad .sha1 content from $URL.sha1"; }
  have=""
  [[ -f "$tarball" ]] && have="$(sha1sum "$tarball" | cut -d' ' -f1)"
  if [[ "$have" != "$want" ]]; then
    rm -f "$tarball"
    fetch "$URL" "$tarball.part"
    have="$(sha1sum "$tarball.part" | cut -d' ' -f1)"
    [[ "$have" == "$want" ]] || { rm -f "$tarball.part"; die "sha1 mismatch for $TARBALL_NAME: got $have, want $want"; }
    mv "$tarball.part" "$tarball"
    did+=("downloaded+sha1-verified")
  else
    did+=("sha1-verified cached tarball")
  fi

  # --- 2. extract atomically
  tmp="$CACHE/.keycloak-$KC_VERSION.extract.$$"
  rm -rf "$tmp" "$KC_HOME"
  mkdir -p "$tmp"
  tar -xzf "$tarball" -C "$tmp"
  [[ -x "$tmp/keycloak-$KC_VERSION/bin/kc.sh" ]] || { rm -rf "$tmp"; die "unexpected archive layout"; }
  mv "$tmp/keycloak-$KC_VERSION" "$KC_HOME"
  rmdir "$tmp"
  echo "$want" >"$KC_HOME/.thidua-extracted"
  did+=("extracted")
fi

# --- 3. build once per set of build options
opts_hash="$(printf '%s\n' "$KC_VERSION" "${BUILD_OPTS[@]}" | sha256sum | cut -c1-16)"
marker="$KC_HOME/.thidua-build"
if [[ "$(cat "$marker" 2>/dev/null || true)" != "$opts_hash" || ! -d "$KC_HOME/lib/quarkus" ]]; then
  JAVA_HOME="$(pick_java)" || die "no usable JDK (>= 17) found; set JAVA_HOME"
  export JAVA_HOME
  # The build (Quarkus augmentation) is ~25% faster on 2 cores with C1 only (measured ~20 s vs ~27 s).
  export JAVA_OPTS_KC_HEAP="${JAVA_OPTS_KC_HEAP:--Xms256m -Xmx1g -XX:TieredStopAtLevel=1}"
  unset JAVA  # kc.sh prefers $JAVA over $JAVA_HOME
  rm -f "$marker"
  log="$KC_HOME/.thidua-build.log"
  if ! "$KC_HOME/bin/kc.sh" build "${BUILD_OPTS[@]}" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "kc.sh build failed (full log: $log)"
  fi
  echo "$opts_hash" >"$marker"
  did+=("built (opts $opts_hash, JDK $JAVA_HOME)")
fi

if ((${#did[@]})); then
  summary="$(printf '%s; ' "${did[@]}")"
  say "keycloak $KC_VERSION at $KC_HOME: ${summary%; }"
else
  say "keycloak $KC_VERSION at $KC_HOME: already installed and built (opts $opts_hash), nothing to do"
fi
