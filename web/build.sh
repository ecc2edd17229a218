#!/usr/bin/env bash
# Vendors uPlot (npm "uplot", pinned below) into web/static/vendor, which
# go:embed puts into the binary, and records the files' checksums in
# web/uplot.sha256.
#
#   web/build.sh           fetch the pinned version and copy it in
#   web/build.sh --check   verify the committed copy is that version; when
#                          npm cannot reach the registry, verify it against
#                          the committed checksums instead. Changes nothing.
set -euo pipefail
UPLOT_VERSION=1.6.32
FILES=(uPlot.iife.min.js uPlot.min.css)

cd "$(dirname "$0")"
DEST=static/vendor
SUMS=uplot.sha256
check=0
[ "${1:-}" = "--check" ] && check=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fetch() {
  command -v npm >/dev/null 2>&1 || return 1
  (cd "$tmp" && timeout 120 npm install --silent --no-audit --no-fund --ignore-scripts \
      --no-package-lock "uplot@$UPLOT_VERSION" >/dev/null 2>&1) || return 1
  [ -f "$tmp/node_modules/uplot/dist/uPlot.iife.min.js" ]
}

sums() { # the checksum file's content for the files in directory $1
  echo "# uplot $UPLOT_VERSION"
  (cd "$1" && sha256sum "${FILES[@]}")
}

if [ $check -eq 0 ]; then
  fetch || { echo "web/build.sh: cannot fetch uplot@$UPLOT_VERSION from npm" >&2; exit 1; }
  mkdir -p "$DEST"
  for f in "${FILES[@]}"; do cp "$tmp/node_modules/uplot/dist/$f" "$DEST/$f"; done
  sums "$DEST" > "$SUMS"
  echo "web/build.sh: vendored uplot $UPLOT_VERSION into web/$DEST"
  exit 0
fi

if fetch; then
  for f in "${FILES[@]}"; do
    if ! cmp -s "$tmp/node_modules/uplot/dist/$f" "$DEST/$f"; then
      echo "web/build.sh --check: web/$DEST/$f is not uplot $UPLOT_VERSION's; run web/build.sh" >&2
      exit 1
    fi
  done
  echo "web/build.sh --check: web/$DEST matches uplot $UPLOT_VERSION from npm"
else
  echo "web/build.sh --check: npm registry unreachable, checking committed checksums" >&2
fi
if ! diff -q <(sums "$DEST") "$SUMS" >/dev/null; then
  echo "web/build.sh --check: web/$DEST or web/$SUMS is not uplot $UPLOT_VERSION; run web/build.sh" >&2
  exit 1
fi
