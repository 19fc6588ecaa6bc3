#!/usr/bin/env bash
# Install the DejaVu Sans TrueType fonts (regular + bold, version 2.37.3) used by the awards service to
# render Vietnamese documents as PDF. Source: the npm registry tarball of the package dejavu-fonts-ttf,
# checked against the sha512 integrity published in the registry's metadata.
# Archive kept in    "${THIDUA_CACHE:-$HOME/.cache/thidua}/fonts/dejavu-fonts-ttf-2.37.3.tgz"
# Fonts installed in "${THIDUA_CACHE:-$HOME/.cache/thidua}/fonts/dejavu-2.37.3/"
# Idempotent: does nothing when the marker and the font files are already there.
set -euo pipefail

version="2.37.3"
integrity="sha512-f1hd7jJbeQa1VWcw+K2KrTXS50zTMaHpVC4XIKJpNcDeYR5ajMtj/iLlQDYNvLOKamUB3ARVVCf79lNwNVztSQ=="
url="https://registry.npmjs.org/dejavu-fonts-ttf/-/dejavu-fonts-ttf-$version.tgz"
files=(DejaVuSans.ttf DejaVuSans-Bold.ttf LICENSE)

cache="${THIDUA_CACHE:-$HOME/.cache/thidua}"
fonts="$cache/fonts"
archive="$fonts/dejavu-fonts-ttf-$version.tgz"
dest="$fonts/dejavu-$version"
marker="$dest/.installed"

complete() {
  [[ -f "$marker" && "$(cat "$marker")" == "$integrity" ]] || return 1
  local f
  for f in "${files[@]}"; do [[ -s "$dest/$f" ]] || return 1; done
}

if complete; then
  echo "fonts: DejaVu Sans $version already installed in $dest"
  exit 0
fi

for tool in curl tar openssl base64; do
  command -v "$tool" >/dev/null || { echo "fonts/install.sh: $tool not found on PATH" >&2; exit 1; }
done

# base64 of the archive's sha512 digest, in the npm "integrity" format.
digest_of() { echo "sha512-$(openssl dgst -sha512 -binary "$1" | base64 -w0)"; }

mkdir -p "$fonts"
if [[ ! -f "$archive" || "$(digest_of "$archive")" != "$integrity" ]]; then
  part="$(mktemp "$archive.part.XXXXXX")"
  trap 'rm -f "$part"' EXIT
  echo "fonts: downloading $url"
  curl --fail --silent --show-error --location --retry 3 --output "$part" "$url"
  got="$(digest_of "$part")"
  if [[ "$got" != "$integrity" ]]; then
    echo "fonts/install.sh: integrity check FAILED for $url" >&2
    echo "  expected $integrity" >&2
    echo "  got      $got" >&2
    exit 1
  fi
  chmod 0644 "$part"
  mv "$part" "$archive"
  trap - EXIT
fi

# The npm tarball keeps its files under package/ (fonts in package/ttf/). Find the members by name
# rather than assuming the exact layout, then extract exactly those.
mapfile -t members < <(tar -tzf "$archive")
tmp="$(mktemp -d "$fonts/dejavu.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
for f in "${files[@]}"; do
  member=""
  for m in "${members[@]}"; do
    if [[ "$m" == "$f" || "$m" == */"$f" ]]; then
      # Prefer the shortest path (e.g. package/LICENSE over some nested copy).
      if [[ -z "$member" || ${#m} -lt ${#member} ]]; then member="$m"; fi
    fi
  done
  [[ -n "$member" ]] || { echo "fonts/install.sh: $f not found in $archive" >&2; exit 1; }
  tar -xzf "$archive" -C "$tmp" --no-same-owner "$member"
  mv "$tmp/$member" "$tmp/$f.extracted"
done
mkdir -p "$dest"
for f in "${files[@]}"; do mv "$tmp/$f.extracted" "$dest/$f"; done
echo "$integrity" > "$marker"
echo "fonts: installed DejaVu Sans $version (${files[*]}) into $dest"
