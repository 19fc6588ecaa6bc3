#!/usr/bin/env bash
# Tools to check the deployment files offline (no cluster, no Docker engine here), all from the Go module proxy:
#   kustomize 5.8.2            renders deploy/k8s                      -> $CACHE/bin/kustomize-5.8.2
#   k8s.io/kubernetes 1.36.3   its OpenAPI v3 documents (the API's schemas)
#   KEDA 2.21.0                its CRDs (the ScaledObject's schema)
#   compose-go 2.16.2          the Compose specification's JSON schema
# and links the three sources as $CACHE/deploy-check/{kubernetes,keda,compose}. Idempotent; cached.
set -euo pipefail

cache="${THIDUA_CACHE:-$HOME/.cache/thidua}"
kustomize="$cache/bin/kustomize-5.8.2"
links="$cache/deploy-check"
say() { echo "deploy-check: $*"; }

mkdir -p "$cache/bin" "$links"
if [[ ! -x "$kustomize" ]]; then
  say "building kustomize 5.8.2 (once; a few minutes on two cores)"
  build="$(mktemp -d)"
  trap 'rm -rf "$build"' EXIT
  GOBIN="$build" CGO_ENABLED=0 go install -trimpath -ldflags="-s -w" sigs.k8s.io/kustomize/kustomize/v5@v5.8.2
  mv "$build/kustomize" "$kustomize"
fi

link() {  # link <name> <module@version>
  local dir
  dir="$(go mod download -json "$2" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')"
  [[ -d "$dir" ]] || { say "no source for $2"; exit 1; }
  ln -sfn "$dir" "$links/$1"
}
link kubernetes k8s.io/kubernetes@v1.36.3
link keda github.com/kedacore/keda/v2@v2.21.0
link compose github.com/compose-spec/compose-go/v2@v2.16.2
say "ready: $kustomize, schemas in $links"
