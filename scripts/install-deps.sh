#!/usr/bin/env bash
# Installs what keascope's tests and demo need on Debian 12, as root:
# Kea 2.2 and perfdhcp, clang for the BPF programs, Chromium for the browser
# tests, and MinIO (built from source through the Go module proxy, since no
# Debian package exists). Idempotent and quiet: it does nothing when
# everything is already there.
set -euo pipefail

MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
APT_PACKAGES=(curl kea-dhcp4-server kea-admin clang llvm libbpf-dev bpftool iproute2 chromium procps)

log() { printf 'install-deps: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (it installs Debian packages); try: sudo $0"
  exit 1
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The Kea packages start a service from their default config; keascope
  # runs its own Kea in namespaces, so keep the packaged one from starting.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi

GOBIN=$(go env GOPATH)/bin
if [ ! -x "$GOBIN/minio" ]; then
  log "building MinIO $MINIO_VERSION (a few minutes on a cold cache)"
  go install "github.com/minio/minio@$MINIO_VERSION"
fi
