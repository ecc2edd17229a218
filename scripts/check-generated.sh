#!/usr/bin/env bash
# Regenerates the committed generated files (bpf2go output, vendored web
# assets) and fails if they differ from what is committed, so `go build`
# keeps working with no clang and no npm.
set -euo pipefail
cd "$(dirname "$0")/.."

go generate ./internal/probe/...
if [ -x web/build.sh ]; then
  web/build.sh --check
fi
if ! git diff --exit-code --stat -- internal/probe web; then
  echo "generated files are stale: run 'go generate ./...' and web/build.sh, then commit" >&2
  exit 1
fi
