#!/usr/bin/env bash
# Build the image with podman and smoke-test it on 127.0.0.1 (`make container`; optional: the
# test suite does not depend on it). Without registry access, BASE_IMAGE is built locally
# from Debian bookworm (Python 3.11) with mmdebstrap. Where the container runtime cannot start
# containers (some sandboxes refuse runc's rlimits), the image's own filesystem is run instead:
# mounted read-only with a tmpfs /tmp, as uid 10001, exactly as the Kubernetes manifest runs it.
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
url="http://127.0.0.1:$port"

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
"${podman[@]}" image inspect --format '{{.Config.User}} {{.Config.Healthcheck.Test}}' "$image" \
  | grep -q '^10001:10001 .*healthz' || { echo "the image must run as 10001 with a /healthz HEALTHCHECK"; exit 1; }

cleanup=()
trap 'for step in "${cleanup[@]}"; do eval "$step" >/dev/null 2>&1 || true; done' EXIT
# This shell's own limits: some sandboxes refuse to let runc raise them.
limits=(--ulimit "nofile=$(ulimit -n):$(ulimit -n)" --ulimit "nproc=$(ulimit -u):$(ulimit -u)")
if container=$("${podman[@]}" run -d --rm --no-healthcheck "${limits[@]}" -p "127.0.0.1:$port:8000" \
    -e "API_KEYS=$key" -e WEB_CONCURRENCY=2 "$image" 2>/tmp/container-run.err); then
  cleanup+=("${podman[*]} stop -t 25 $container")
  how="in a container"
else
  echo "podman cannot start containers here ($(tail -1 /tmp/container-run.err)); running the image's filesystem instead"
  root=$("${podman[@]}" image mount "$image")
  cleanup+=("${podman[*]} image unmount $image")
  mount -t tmpfs -o size=64m tmpfs "$root/tmp" && cleanup=("umount $root/tmp" "${cleanup[@]}")
  mount --bind /dev "$root/dev" && cleanup=("umount $root/dev" "${cleanup[@]}")
  mount -t proc proc "$root/proc" && cleanup=("umount $root/proc" "${cleanup[@]}")
  chroot --userspec=10001:10001 "$root" /usr/bin/env -i PATH=/opt/venv/bin:/usr/bin:/bin \
    HOST=127.0.0.1 PORT="$port" WEB_CONCURRENCY=2 API_KEYS="$key" \
    sh -c 'cd /app && exec python -m service.ops.serve' >/tmp/container-smoke.log 2>&1 &
  server=$!
  cleanup=("kill -TERM $server; wait $server" "${cleanup[@]}")
  how="from the image's filesystem (read-only, tmpfs /tmp, uid 10001)"
fi

for _ in $(seq 1 60); do
  if curl -fsS "$url/readyz" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "$url/readyz"
echo
status=$(curl -s -o /dev/null -w '%{http_code}' "$url/v1/model")
[ "$status" = 401 ] || { echo "expected 401 without a key, got $status"; exit 1; }
curl -fsS "$url/v1/assessments" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"age": 70, "smoking": "current", "osteoporosis": true, "diabetes": true, "levels_fused": 6, "obesity": true}' \
  | grep -q '"risk":"high"'
curl -fsS -D - -o /dev/null "$url/healthz" | grep -qi '^server: nginx' \
  || { echo "the front (nginx) must answer on the container's port"; exit 1; }
echo "container smoke test passed $how: ready behind the front, 401 without a key, a high-risk assessment"
