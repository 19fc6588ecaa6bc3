#!/usr/bin/env bash
# Installs uv (pinned, into the download cache) and the workspace's locked environment into .venv.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
THIDUA_CACHE=${THIDUA_CACHE:-$HOME/.cache/thidua}
UV_VERSION=0.13.9
UV_HOME="$THIDUA_CACHE/uv-$UV_VERSION"
if [ ! -x "$UV_HOME/bin/uv" ]; then
  python3 -m venv "$UV_HOME"
  "$UV_HOME/bin/pip" install --quiet "uv==$UV_VERSION"
  echo "python: installed uv $UV_VERSION"
fi
cd "$ROOT"
# compiled once here: every process (tests, the stack's eleven) then reads bytecode instead of compiling ~2,000 modules
"$UV_HOME/bin/uv" sync --frozen --quiet --compile-bytecode
echo "python: workspace environment in .venv is in sync with uv.lock"
bash "$ROOT/deploy/fonts/install.sh"
