#!/usr/bin/env bash
# Debian's Chromium for the portal's browser tests (tests/browser), driven by Playwright for Python with
# executable_path=/usr/bin/chromium: Playwright's own browser download is not used (this machine's network reaches
# package registries only). Idempotent: does nothing when Chromium is installed. apt keeps the .deb files it
# downloaded in /var/cache/apt/archives, so a reinstall does not download them again.
set -euo pipefail
say() { printf 'browser-install: %s\n' "$*" >&2; }
CHROMIUM=${THIDUA_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  say "$("$CHROMIUM" --version 2>/dev/null || echo chromium) already installed at $CHROMIUM, nothing to do"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { say "Chromium is missing and installing it needs root (apt-get install chromium)"; exit 1; }
  SUDO="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
began=$(date +%s)
# the package lists are refreshed only when apt cannot find the package in the ones it has
$SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >&2 \
  || { $SUDO apt-get update -q >&2 && $SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >&2; }
say "$("$CHROMIUM" --version) installed in $(( $(date +%s) - began ))s"
