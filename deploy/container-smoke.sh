#!/usr/bin/env bash
# Build the image with podman and smoke-test it on 127.0.0.1 (`make container`; optional: the
# test suite does not depend on it). Without registry access, BASE_IMAGE is built locally
# from Debian bookworm (Python 3.11) with mmdebstrap.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v podman >/dev/null 2>&1; then
  echo "podman is not installed; skipping (apt-get install podman runc mmdebstrap)"
  exit 0
fi
podman=(podman --runtime runc)
image=spinal-fusion-risk:1.0.0
base=${BASE_IMAGE:-python:3.11-slim}
port=${SMOKE_PORT:-18080}
key=smoke-key-0123456789abcdef

if ! "${podman[@]}" image exists "$base" && ! "${podman[@]}" pull -q "$base" >/dev/null 2>&1; then
  base=localhost/debian-python3.11:bookworm
  if ! "${podman[@]}" image exists "$base"; then
    echo "no registry: building $base with mmdebstrap"
    mmdebstrap --quiet --include=python3,python3-venv,ca-certificates bookworm - | "${podman[@]}" import - "$base"
  fi
fi

# Behind a TLS-inspecting proxy, pip in the build needs the host's CA certificates and pip
# settings: lend them read-only to the build (nothing of them stays in the image).
mounts=()
for path in /etc/ssl/certs /etc/pip.conf; do
  if [ -e "$path" ]; then mounts+=(--volume "$path:$path:ro"); fi
done
"${podman[@]}" build --quiet --format docker "${mounts[@]}" --build-arg "BASE_IMAGE=$base" -t "$image" .
# This shell's own limits: some sandboxes refuse to let runc raise them.
limits=(--ulimit "nofile=$(ulimit -n):$(ulimit -n)" --ulimit "nproc=$(ulimit -u):$(ulimit -u)")
container=$("${podman[@]}" run -d --rm --no-healthcheck "${limits[@]}" -p "127.0.0.1:$port:8000" -e "API_KEYS=$key" -e WEB_CONCURRENCY=2 "$image")
trap '"${podman[@]}" stop -t 25 "$container" >/dev/null 2>&1 || true' EXIT

for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/readyz"
echo
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/model")
[ "$status" = 401 ] || { echo "expected 401 without a key, got $status"; exit 1; }
curl -fsS "http://127.0.0.1:$port/v1/assessments" -H "Authorization: Bearer $key" \
  -H 'Content-Type: application/json' \
  -d '{"age": 70, "smoking": "current", "osteoporosis": true, "diabetes": true, "levels_fused": 6, "obesity": true}' \
  | grep -q '"risk":"high"'
user=$("${podman[@]}" exec "$container" id -u)
[ "$user" != 0 ] || { echo "the container runs as root"; exit 1; }
"${podman[@]}" image inspect --format '{{.Config.Healthcheck.Test}}' "$image" | grep -q healthz
echo "container smoke test passed: ready, 401 without a key, a high-risk assessment, user $user"
