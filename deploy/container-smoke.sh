#!/usr/bin/env bash
# Build the image with podman and smoke-test it on 127.0.0.1 (`make container`; `make test` runs it
# after the suite): start it, wait for /readyz through the front, check a key is needed, score the
# README's patient (deploy/smoke.py), then stop it with SIGTERM and expect a clean exit (0) and no
# error in its log. Without registry access, BASE_IMAGE is built locally from Debian bookworm
# (Python 3.11) with mmdebstrap, once: podman's image store keeps it and the build's layers, so a
# later run rebuilds only what changed (delete the base image to refresh it).
set -euo pipefail
cd "$(dirname "$0")/.."

podman=(podman --runtime runc)
base=${BASE_IMAGE:-python:3.11-slim}
key=smoke-key-0123456789abcdef
port=${SMOKE_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
url="http://127.0.0.1:$port"
name="spinal-fusion-risk-smoke-$$"
work=$(mktemp -d)
cleanup=("rm -rf $work")
trap 'for step in "${cleanup[@]}"; do eval "$step" >/dev/null 2>&1 || true; done' EXIT
started=$SECONDS

if ! "${podman[@]}" image exists "$base" && ! "${podman[@]}" pull -q "$base" >/dev/null 2>&1; then
  base=localhost/debian-python3.11:bookworm
  if ! "${podman[@]}" image exists "$base"; then
    echo "no registry: building $base with mmdebstrap"
    mmdebstrap --quiet --variant=minbase --include=python3,python3-venv,passwd,ca-certificates bookworm \
      "$work/base.tar"
    "${podman[@]}" import -q "$work/base.tar" "$base" >/dev/null
    rm -f "$work/base.tar"
  fi
fi
echo "base image $base ready after $((SECONDS - started)) s"

# Behind a TLS-inspecting proxy, pip in the build needs the host's CA certificates and pip
# settings: lend them read-only to the build (nothing of them stays in the image).
mounts=()
for path in /etc/ssl/certs /etc/pip.conf; do
  if [ -e "$path" ]; then mounts+=(--volume "$path:$path:ro"); fi
done
# The image is run by the ID this build made: another checkout building at the same time may
# move the tag. The image this replaces goes (its layers that the new one shares stay, as cache).
previous=$("${podman[@]}" image inspect --format '{{.Id}}' localhost/spinal-fusion-risk:smoke 2>/dev/null || true)
"${podman[@]}" build --quiet --format docker "${mounts[@]}" --build-arg "BASE_IMAGE=$base" \
  --iidfile "$work/iid" -t localhost/spinal-fusion-risk:smoke . >/dev/null
image=$(cat "$work/iid")
if [ -n "$previous" ] && [ "sha256:$previous" != "$image" ] && [ "$previous" != "$image" ]; then
  "${podman[@]}" rmi "$previous" >/dev/null 2>&1 || true
fi
"${podman[@]}" image inspect --format '{{.Config.User}} {{.Config.Healthcheck.Test}}' "$image" \
  | grep -q '^10001:10001 .*healthz' || { echo "the image must run as 10001 with a /healthz HEALTHCHECK"; exit 1; }
echo "image built after $((SECONDS - started)) s"

# Limits runc may set: some sandboxes withhold CAP_SYS_RESOURCE, and podman lowers its own process
# limit, so runc may not raise a container's limits past them. nginx asks for 16,448 files.
limits=(--ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=4096:4096)
run=("${podman[@]}" run -d --name "$name" --no-healthcheck "${limits[@]}" -e "API_KEYS=$key" -e WEB_CONCURRENCY=2)
cleanup=("${podman[*]} rm -f -t 0 $name" "${cleanup[@]}")
# The image's own address (0.0.0.0:8000) published on 127.0.0.1; where the container network
# cannot publish a port, the host's network with the address given.
if "${run[@]}" -p "127.0.0.1:$port:8000" "$image" >/dev/null 2>"$work/run.err"; then
  how="in a container (port published)"
elif "${podman[@]}" rm -f -t 0 "$name" >/dev/null 2>&1; "${run[@]}" --network=host -e HOST=127.0.0.1 \
  -e "PORT=$port" "$image" >/dev/null 2>>"$work/run.err"; then
  how="in a container (host network)"
else
  how=""
fi

if [ -n "$how" ]; then
  python3 deploy/smoke.py "$url" "$key" || { "${podman[@]}" logs "$name" 2>&1 | tail -20; exit 1; }
  "${podman[@]}" kill --signal TERM "$name" >/dev/null
  code=$(timeout 40 "${podman[@]}" wait "$name") || { echo "the container did not stop within 40 s of SIGTERM"; exit 1; }
  "${podman[@]}" logs "$name" >"$work/log" 2>&1
else
  # Some sandboxes refuse to start containers at all: run the image's own filesystem as the
  # Kubernetes manifest runs it (read-only image, a tmpfs /tmp, uid 10001), with the same checks.
  echo "podman cannot start containers here ($(tail -1 "$work/run.err")); running the image's filesystem instead"
  root=$("${podman[@]}" image mount "$image")
  cleanup=("${podman[*]} image unmount $image" "${cleanup[@]}")
  mount -t tmpfs -o size=64m tmpfs "$root/tmp" && cleanup=("umount $root/tmp" "${cleanup[@]}")
  mount --bind /dev "$root/dev" && cleanup=("umount $root/dev" "${cleanup[@]}")
  mount -t proc proc "$root/proc" && cleanup=("umount $root/proc" "${cleanup[@]}")
  chroot --userspec=10001:10001 "$root" /usr/bin/env -i PATH=/opt/venv/bin:/usr/bin:/bin \
    HOST=127.0.0.1 PORT="$port" WEB_CONCURRENCY=2 API_KEYS="$key" \
    sh -c 'cd /app && exec python -m service.ops.serve' >"$work/log" 2>&1 &
  server=$!
  cleanup=("kill -KILL $server" "${cleanup[@]}")
  python3 deploy/smoke.py "$url" "$key" || { tail -20 "$work/log"; exit 1; }
  kill -TERM "$server"
  for _ in $(seq 1 80); do kill -0 "$server" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$server" 2>/dev/null && { echo "the service did not stop within 40 s of SIGTERM"; exit 1; }
  code=0
  wait "$server" || code=$?
  how="from the image's filesystem (read-only, tmpfs /tmp, uid 10001), not in a container"
fi

[ "$code" = 0 ] || { tail -20 "$work/log"; echo "the service exited $code on SIGTERM, not 0"; exit 1; }
if grep -E '"level": ?"(ERROR|CRITICAL)"' "$work/log"; then
  echo "the service logged the errors above"
  exit 1
fi
echo "container smoke test passed $how after $((SECONDS - started)) s: ready behind the front," \
  "401 without a key, the README's patient scored as shown, a clean exit on SIGTERM"
