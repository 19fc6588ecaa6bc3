#!/usr/bin/env bash
# Runs the embedded FerretDB (SQLite backend) in the foreground; build it first with install.sh.
# Env: THIDUA_FERRETDB_DATA (default "$THIDUA_DATA/ferretdb"), THIDUA_FERRETDB_ADDR
# (default 127.0.0.1:27027), THIDUA_FERRETDB_HEALTH_ADDR (default 127.0.0.1:27028),
# THIDUA_FERRETDB_LOG_LEVEL (default info). Extra arguments are passed to the binary.
set -euo pipefail

bin="${THIDUA_CACHE:-$HOME/.cache/thidua}/bin/thidua-ferretdb-1.24.2"
if [[ ! -x "$bin" ]]; then
  echo "run.sh: $bin missing; run deploy/ferretdb/install.sh first" >&2
  exit 1
fi

export THIDUA_FERRETDB_DATA="${THIDUA_FERRETDB_DATA:-${THIDUA_DATA:?set THIDUA_DATA or THIDUA_FERRETDB_DATA}/ferretdb}"
exec "$bin" "$@"
