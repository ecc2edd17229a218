#!/usr/bin/env bash
# keascope demo: a real Kea 2.2 in network namespaces under perfdhcp load,
# watched by `keascope monitor` (eBPF), publishing Hollow versions to ./data
# and to a local MinIO standing in for the remote Hollow server, with the
# dashboard on http://localhost:8080/. Ctrl-C stops everything and leaves no
# namespace, process or veth behind.
set -euo pipefail
cd "$(dirname "$0")"

./scripts/install-deps.sh
export PATH="$(go env GOPATH)/bin:$PATH"

echo "== building keascope"
mkdir -p bin
go build -o bin/keascope ./cmd/keascope

DATA=$PWD/data
LAB=$DATA/lab
mkdir -p "$DATA"
pids=()

cleanup() {
  trap - EXIT INT TERM
  echo
  echo "== stopping"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bin/keascope lab down --name demo >/dev/null 2>&1 || true
  echo "stopped; the Hollow data stays in $DATA/hollow"
}
trap cleanup EXIT INT TERM

# A lab left by a run that was killed hard.
bin/keascope lab down --name demo >/dev/null 2>&1 || true

echo "== starting MinIO on 127.0.0.1:9000 (the remote Hollow server)"
export AWS_ACCESS_KEY_ID=keascope-demo AWS_SECRET_ACCESS_KEY=keascope-demo-secret
MINIO_ROOT_USER=$AWS_ACCESS_KEY_ID MINIO_ROOT_PASSWORD=$AWS_SECRET_ACCESS_KEY MINIO_BROWSER=off \
  minio server --quiet --address 127.0.0.1:9000 --console-address 127.0.0.1:9001 "$DATA/minio" \
  >"$DATA/minio.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS http://127.0.0.1:9000/minio/health/ready >/dev/null 2>&1 && break
  sleep 0.2
done
remote_flags=(--remote s3://keascope/servers --s3-endpoint http://127.0.0.1:9000)

source_flags=()
if bin/keascope lab up --name demo --socket udp --workdir "$LAB" >"$DATA/lab.json"; then
  sock=$(sed -n 's/.*"control_socket": *"\([^"]*\)".*/\1/p' "$DATA/lab.json")
  kea_pid=$(sed -n 's/.*"kea_pid": *\([0-9]*\).*/\1/p' "$DATA/lab.json")
  source_flags=(--pid "$kea_pid" --control-socket "$sock")
  echo "== Kea runs (pid $kea_pid); perfdhcp loads it from the client namespace"
  (
    while true; do
      bin/keascope lab load --name demo --rate 300 --clients 20000 --duration 60s >/dev/null 2>&1 || sleep 1
    done
  ) &
  pids+=($!)
else
  echo "!! the Kea lab could not start (see above): showing SAMPLE data instead, labelled as such"
  source_flags=(--source sample)
fi

echo "== starting keascope monitor"
bin/keascope monitor --store "$DATA/hollow" "${remote_flags[@]}" "${source_flags[@]}" \
  --listen 127.0.0.1:8080 --metrics-listen 127.0.0.1:9547 2>"$DATA/monitor.log" &
pids+=($!)

for _ in $(seq 1 50); do
  if curl -fsS http://127.0.0.1:9547/healthz >/dev/null 2>&1 || curl -fsS -o /dev/null http://127.0.0.1:8080/ 2>/dev/null; then
    break
  fi
  sleep 0.2
done

cat <<TXT

  Dashboard:   http://localhost:8080/
  Prometheus:  http://127.0.0.1:9547/metrics      health: http://127.0.0.1:9547/healthz
  Hollow data: $DATA/hollow  (keascope hollow inspect $DATA/hollow)
  Remote:      MinIO bucket "keascope" on 127.0.0.1:9000
  Logs:        $DATA/monitor.log

  Ctrl-C stops everything.
TXT
wait
