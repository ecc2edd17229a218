#!/usr/bin/env bash
# The one test command: installs what is missing, checks generated files are
# current, then runs every test, the privileged ones included. With CI=true a
# test that cannot get root, eBPF, Kea, MinIO or Chromium fails instead of
# skipping.
set -euo pipefail
cd "$(dirname "$0")"

./scripts/install-deps.sh
export PATH="$(go env GOPATH)/bin:$PATH"

echo "== generated files are current"
./scripts/check-generated.sh

echo "== gofmt, go vet"
unformatted=$(gofmt -l $(git ls-files '*.go' | grep -v '_bpfel\.go$') || true)
if [ -n "$unformatted" ]; then
  echo "gofmt would change: $unformatted" >&2
  exit 1
fi
go vet ./...

echo "== go test"
# -p 1: the tests that start Kea and load it share two cores; running
# packages one at a time keeps their numbers from being noise.
go test -p 1 -count=1 -timeout 40m "$@" ./...
