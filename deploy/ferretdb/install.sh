#!/usr/bin/env bash
# Builds the embedded-FerretDB server (deploy/ferretdb/main.go) into the thidua cache:
#   ${THIDUA_CACHE:-$HOME/.cache/thidua}/bin/thidua-ferretdb-1.24.2
# Rebuilds only when the binary is missing or the *.go files, go.mod or go.sum (or the build
# recipe below) changed; the inputs' hash is stored next to the binary.
# Uses the default Go module cache. Needs Go >= 1.24 (or a Go that can fetch that toolchain).
set -euo pipefail

FERRETDB_VERSION=1.24.2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin_dir="${THIDUA_CACHE:-$HOME/.cache/thidua}/bin"
bin="$bin_dir/thidua-ferretdb-$FERRETDB_VERSION"
stamp="$bin.inputs.sha256"

go_cmd="$(command -v go || true)"
if [[ -z "$go_cmd" && -x /usr/local/go/bin/go ]]; then
  go_cmd=/usr/local/go/bin/go
fi

# Changing the recipe (flags, env) must also trigger a rebuild.
recipe="CGO_ENABLED=0 go build -trimpath -mod=readonly -ldflags=-s -w"

want="$(cd "$here" && { cat ./*.go go.mod go.sum; printf '%s\n' "$recipe"; } | sha256sum | cut -d' ' -f1)"

if [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "thidua-ferretdb: up to date at $bin"
  exit 0
fi

if [[ -z "$go_cmd" ]]; then
  echo "thidua-ferretdb: 'go' not found (need Go >= 1.24 on PATH or at /usr/local/go/bin/go)" >&2
  exit 1
fi

reason="built"
[[ -e "$bin" ]] && reason="rebuilt (inputs changed)"

mkdir -p "$bin_dir"
tmp="$(mktemp "$bin_dir/.thidua-ferretdb.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

start=$SECONDS
(cd "$here" && CGO_ENABLED=0 "$go_cmd" build -trimpath -mod=readonly -ldflags="-s -w" -o "$tmp" .)
chmod 0755 "$tmp"
mv -f "$tmp" "$bin"
trap - EXIT
printf '%s\n' "$want" > "$stamp"

echo "thidua-ferretdb: $reason $bin in $((SECONDS - start))s"
