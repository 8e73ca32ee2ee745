#!/usr/bin/env bash
# CI check of docker-compose.yml (no Docker engine needed):
#   1. it parses: `docker compose config` when the Compose v2 plugin is there; else Debian's
#      docker-compose 1.29 (installed with apt when missing), which validates the file against the
#      Compose Specification schema it ships (profiles and GPU reservations are known since 1.28);
#      with neither, the check fails;
#   2. what the file promises holds in the resolved configuration: each GPU worker reserves one
#      distinct NVIDIA GPU, sees it as device 0 and has its own instance id; workers mount the model
#      read-only and do not create topics; the CPU worker is in the `cpu` profile; Kafka is
#      apache/kafka pinned to a 4.x tag; the dead-letter topic takes the worker's 2 MiB records.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { echo "check-compose: $*"; }

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  if ! command -v docker-compose >/dev/null 2>&1; then
    say "no 'docker compose' plugin and no docker-compose: installing Debian's docker-compose (1.29)"
    as_root=()
    [[ "$(id -u)" == 0 ]] || as_root=(sudo -n)
    for attempt in 1 2 3; do
      if ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null \
         && ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >/dev/null; then
        break
      fi
      say "apt-get failed (attempt $attempt of 3)"
      sleep $((attempt * 10))
    done
  fi
  command -v docker-compose >/dev/null 2>&1 \
    || { echo "check-compose: FAILED: neither 'docker compose' nor docker-compose is available" >&2; exit 1; }
  compose=(docker-compose)
fi
say "using: $("${compose[@]}" version 2>/dev/null | head -n 1)"

# Resolved as a deployment would resolve it, without the caller's MT5_* overrides.
unset MT5_BOOTSTRAP_SERVERS MT5_MODEL_DIR MT5_CREATE_TOPICS MT5_REQUEST_PARTITIONS MT5_RESULT_PARTITIONS
"${compose[@]}" -f docker-compose.yml config --quiet
resolved="$(mktemp)"
trap 'rm -f "$resolved"' EXIT
# Read back as YAML (PyYAML comes with docker-compose 1.29), or as JSON from the v2 plugin.
format=()
python3 -c 'import yaml' 2>/dev/null || format=(--format json)
"${compose[@]}" -f docker-compose.yml --profile cpu config ${format[@]+"${format[@]}"} > "$resolved"
say "docker-compose.yml parses"

python3 - "$resolved" <<'PY'
import json, sys
try:
    import yaml
    doc = yaml.safe_load(open(sys.argv[1]))
except ImportError:
    doc = json.load(open(sys.argv[1]))
services = doc["services"]
problems = []
def need(cond, msg):
    if not cond:
        problems.append(msg)

for name in ("kafka", "kafka-init", "worker-gpu0", "worker-gpu1", "worker-cpu", "gateway"):
    need(name in services, f"service {name} is missing")

image = services.get("kafka", {}).get("image", "")
need(image.startswith("apache/kafka:4."), f"kafka image {image!r} is not apache/kafka pinned to a 4.x tag")
need(services.get("kafka-init", {}).get("image") == image, "kafka-init does not use the broker's image (its tools)")
dlq = int(services.get("kafka-init", {}).get("environment", {}).get("DLQ_MAX_MESSAGE_BYTES", 0))
need(dlq >= 2 * 1024 * 1024, f"dead-letter max.message.bytes {dlq} < 2 MiB, the worker's producer limit")

gpus, ids = [], []
for name, s in services.items():
    env = s.get("environment", {})
    if not name.startswith("worker-"):
        continue
    ids.append(env.get("MT5_INSTANCE_ID"))
    need(env.get("MT5_CREATE_TOPICS") == "false", f"{name} creates topics (kafka-init does)")
    need(any(str(v).endswith(":/models:ro") or (isinstance(v, dict) and v.get("target") == "/models" and v.get("read_only"))
             for v in s.get("volumes", [])), f"{name} does not mount the model folder read-only at /models")
    need(env.get("MT5_MODEL") == "/models", f"{name} does not serve /models")
    need("healthcheck" in s, f"{name} has no health check")
    if name.startswith("worker-gpu"):
        devices = s.get("deploy", {}).get("resources", {}).get("reservations", {}).get("devices", [])
        need(len(devices) == 1, f"{name} must reserve exactly one device entry")
        for d in devices:
            need(d.get("driver") == "nvidia" and "gpu" in d.get("capabilities", []), f"{name}: not an NVIDIA GPU reservation")
            need(len(d.get("device_ids", [])) == 1, f"{name}: pin exactly one GPU (device_ids)")
            gpus += d.get("device_ids", [])
        need(str(env.get("MT5_DEVICES")) == "0", f"{name}: the container sees its GPU as 0; MT5_DEVICES must be \"0\"")
        need("profiles" not in s, f"{name} should start by default")
    if name == "worker-cpu":
        need(s.get("profiles") == ["cpu"], "worker-cpu is not in the cpu profile")
        need("deploy" not in s, "worker-cpu reserves a device")
need(len(gpus) == len(set(gpus)), f"two workers share a GPU: {gpus}")
need(len(ids) == len(set(ids)) and None not in ids, f"worker instance ids must be set and unique: {ids}")
need("bin/gateway" in " ".join(services.get("gateway", {}).get("command", [])), "the gateway does not run bin/gateway")

if problems:
    for p in problems:
        print("check-compose: FAILED: " + p, file=sys.stderr)
    sys.exit(1)
print(f"check-compose: {len(services)} services; GPU workers pinned to {sorted(gpus)}; instance ids {ids}")
PY
