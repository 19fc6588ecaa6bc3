#!/usr/bin/env bash
# Run the thidua Keycloak in the foreground (exec, so the caller's pid is the server's).
#
#   THIDUA_DATA=/some/dir deploy/keycloak/run.sh [extra kc.sh start options...]
#
# - http on 127.0.0.1:$THIDUA_KEYCLOAK_PORT (18080); --hostname is a full URL, so the token
#   issuer is http://127.0.0.1:$THIDUA_KEYCLOAK_PORT/realms/thidua whatever Host header is used
#   (hostname-strict is then effectively ignored, so it is not passed);
# - management on 127.0.0.1:$THIDUA_KEYCLOAK_MGMT_PORT (19000): GET /health/ready, /health/live;
# - dev-file (H2) database in "$THIDUA_DATA/keycloak/h2";
# - imports deploy/keycloak/realm/*.json on start when the realm does not exist yet
#   (an existing realm is left as is: delete "$THIDUA_DATA/keycloak" to re-import);
# - bootstrap admin (master realm, first start only) from KC_BOOTSTRAP_ADMIN_USERNAME /
#   KC_BOOTSTRAP_ADMIN_PASSWORD; when unset (local dev only): user "admin" and a password
#   generated once into "$THIDUA_DATA/keycloak/bootstrap-admin-password" (mode 600).
#
# The realm file holds dev/CI-only credentials (demo users' password "thidua-demo", the
# thidua-services secret "thidua-services-dev-secret"): never import it anywhere else.
#
# Other env: THIDUA_CACHE (see install.sh), JAVA_HOME, THIDUA_KEYCLOAK_REALM_DIR,
# JAVA_OPTS_KC_HEAP (heap flags), JAVA_OPTS_APPEND, THIDUA_KEYCLOAK_HTTP_THREADS,
# THIDUA_KEYCLOAK_LOG_LEVEL.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KC_VERSION=26.7.3
CACHE="${THIDUA_CACHE:-$HOME/.cache/thidua}"
KC_HOME="$CACHE/keycloak-$KC_VERSION"
DATA_DIR="${THIDUA_DATA:?THIDUA_DATA must be set (directory for runtime data)}/keycloak"
PORT="${THIDUA_KEYCLOAK_PORT:-18080}"
MGMT_PORT="${THIDUA_KEYCLOAK_MGMT_PORT:-19000}"
REALM_DIR="${THIDUA_KEYCLOAK_REALM_DIR:-$HERE/realm}"

say() { printf 'keycloak-run: %s\n' "$*" >&2; }

# Installed and built? (install.sh is idempotent and takes ~20 ms when nothing is to be done.)
"$HERE/install.sh" >&2

# --- JDK: JAVA_HOME if set, else Temurin 25, else java on PATH (>= 17; 17 and 25 both work,
#     25 with C1-only starts fastest here).
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'; }
JAVA_MAJOR=""
for cand in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "$(command -v java 2>/dev/null || true)"; do
  [[ -n "$cand" && -x "$cand" ]] || continue
  JAVA_MAJOR="$(java_major "$cand")"
  if [[ -n "$JAVA_MAJOR" && "$JAVA_MAJOR" -ge 17 ]]; then
    JAVA_HOME="$(cd "$(dirname "$cand")/.." && pwd)"
    break
  fi
  JAVA_MAJOR=""
done
[[ -n "$JAVA_MAJOR" ]] || { say "no usable JDK (>= 17) found; set JAVA_HOME"; exit 1; }
export JAVA_HOME
unset JAVA  # kc.sh prefers $JAVA over $JAVA_HOME

# --- data dir + bootstrap admin
umask 077
mkdir -p "$DATA_DIR"
export KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}"
if [[ -z "${KC_BOOTSTRAP_ADMIN_PASSWORD:-}" ]]; then
  pw_file="$DATA_DIR/bootstrap-admin-password"
  if [[ ! -s "$pw_file" ]]; then
    head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$pw_file.tmp"
    mv "$pw_file.tmp" "$pw_file"
  fi
  KC_BOOTSTRAP_ADMIN_PASSWORD="$(cat "$pw_file")"
  export KC_BOOTSTRAP_ADMIN_PASSWORD
  say "bootstrap admin (dev default): user '$KC_BOOTSTRAP_ADMIN_USERNAME', password in $pw_file"
fi
umask 022

# --- realm import: Keycloak only reads $KC_HOME/data/import; mirror the repo's realm files there.
shopt -s nullglob
realm_files=("$REALM_DIR"/*.json)
((${#realm_files[@]})) || { say "no realm files in $REALM_DIR"; exit 1; }
mkdir -p "$KC_HOME/data/import"
rm -f "$KC_HOME/data/import"/*.json
cp "${realm_files[@]}" "$KC_HOME/data/import/"
# --import-realm never updates an existing realm: warn when the files changed since the import.
realm_hash="$(cat "${realm_files[@]}" | sha256sum | cut -c1-16)"
if [[ ! -e "$DATA_DIR/h2/keycloakdb.mv.db" ]]; then
  echo "$realm_hash" >"$DATA_DIR/realm-import.sha256"
elif [[ "$(cat "$DATA_DIR/realm-import.sha256" 2>/dev/null || true)" != "$realm_hash" ]]; then
  say "WARNING: realm files changed since they were imported into $DATA_DIR; the existing realm is kept (delete $DATA_DIR to re-import)"
fi

# --- JVM sizing/tuning for a 2-core dev/CI machine (measured: second start to /health/ready
#     ~6-7 s with C1 only vs ~14-17 s with the default tiered C2 on JDK 25; RSS ~460 MB).
#     C1 only makes steady-state password grants ~2x slower (~120 ms vs ~60 ms); for load tests
#     set JAVA_OPTS_KC_HEAP="-Xms256m -Xmx512m" (or bigger) to get C2 back.
export JAVA_OPTS_KC_HEAP="${JAVA_OPTS_KC_HEAP:--Xms256m -Xmx512m -XX:TieredStopAtLevel=1}"
if [[ "$JAVA_MAJOR" -ge 24 && -z "${JAVA_OPTS_APPEND:-}" ]]; then
  # Netty still uses sun.misc.Unsafe memory access: silence the JDK 24+ deprecation warning.
  export JAVA_OPTS_APPEND="--sun-misc-unsafe-memory-access=allow"
fi

say "starting keycloak $KC_VERSION (JDK $JAVA_HOME) http://127.0.0.1:$PORT, health http://127.0.0.1:$MGMT_PORT/health/ready, data $DATA_DIR"

exec "$KC_HOME/bin/kc.sh" start --optimized \
  --http-enabled=true \
  --http-host=127.0.0.1 \
  --http-port="$PORT" \
  --http-management-host=127.0.0.1 \
  --http-management-port="$MGMT_PORT" \
  --hostname="http://127.0.0.1:$PORT" \
  --db-url="jdbc:h2:file:$DATA_DIR/h2/keycloakdb;NON_KEYWORDS=VALUE;DB_CLOSE_ON_EXIT=FALSE" \
  --db-pool-max-size=16 \
  --cache=local \
  --http-pool-max-threads="${THIDUA_KEYCLOAK_HTTP_THREADS:-16}" \
  --log-level="${THIDUA_KEYCLOAK_LOG_LEVEL:-info,io.smallrye.health:warn}" \
  --import-realm \
  "$@"
