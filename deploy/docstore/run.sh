#!/usr/bin/env bash
# Runs thidua-docstore in the foreground; build it first with install.sh.
# Env: THIDUA_DOCSTORE_DATA (default "$THIDUA_DATA/docstore"), THIDUA_DOCSTORE_ADDR (default 127.0.0.1:27027),
# THIDUA_DOCSTORE_HEALTH_ADDR (default 127.0.0.1:27028), THIDUA_DOCSTORE_HEAP (the most heap the data may take, e.g.
# 16g; by default half of the machine's memory). Every document lives in memory, as BSON bytes: about 3.4 kB each with
# its indexes, measured on the province benchmark's documents (a 50,000-dossier province, 1.24 million documents,
# holds 4.2 GB live; G1 needs room above that to collect without long pauses).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${THIDUA_CACHE:-$HOME/.cache/thidua}"
want="$(cd "$here" && find pom.xml src -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)"
home="$cache/docstore-$want"
if [[ ! -f "$home/thidua-docstore.jar" ]]; then
  echo "run.sh: $home missing; run deploy/docstore/install.sh first" >&2
  exit 1
fi
export THIDUA_DOCSTORE_DATA="${THIDUA_DOCSTORE_DATA:-${THIDUA_DATA:?set THIDUA_DATA or THIDUA_DOCSTORE_DATA}/docstore}"
mkdir -p "$THIDUA_DOCSTORE_DATA"
if [[ -n "${THIDUA_DOCSTORE_HEAP:-}" ]]; then heap=(-Xmx"$THIDUA_DOCSTORE_HEAP"); else heap=(-XX:MaxRAMPercentage=50); fi
exec java -Xms64m "${heap[@]}" -XX:+UseG1GC -XX:+UseStringDeduplication -XX:+ExitOnOutOfMemoryError \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$home/thidua-docstore.jar:$home/libs/*" thidua.docstore.Main "$@"
