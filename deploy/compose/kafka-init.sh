#!/usr/bin/env bash
# The kafka-init service of docker-compose.yml: creates the workers' topics, or grows them, with
# Kafka's own tools (the apache/kafka image). Safe to re-run: to scale out, raise
# MT5_REQUEST_PARTITIONS and run `docker compose run --rm kafka-init`. Partitions never shrink.
# The dead-letter topic takes records of 2 MiB: a dead letter is the original request (up to
# max_record_bytes, 1 MiB) plus reason headers, and the worker's producer sends up to 2 MiB.
set -euo pipefail
bin="${KAFKA_BIN:-/opt/kafka/bin}"
bootstrap="${BOOTSTRAP:?BOOTSTRAP (host:port) is not set}"
rf="${REPLICATION_FACTOR:-1}"
dlq_max_bytes="${DLQ_MAX_MESSAGE_BYTES:-2097152}"

# ensure TOPIC PARTITIONS [--config k=v ...]: create, or grow to PARTITIONS, or keep.
ensure() {
  local topic="$1" partitions="$2"; shift 2
  local current
  # A missing topic makes --describe fail: that is the "create" case, not an error.
  current="$("$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --describe --topic "$topic" 2>/dev/null \
    | sed -n 's/.*PartitionCount: *\([0-9][0-9]*\).*/\1/p' | head -n 1 || true)"
  if [[ -z "$current" ]]; then
    "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$topic" \
      --partitions "$partitions" --replication-factor "$rf" "$@"
  elif (( current < partitions )); then
    echo "kafka-init: $topic has $current partitions; growing to $partitions"
    "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --alter --topic "$topic" --partitions "$partitions"
  else
    echo "kafka-init: $topic has $current partitions (wanted $partitions): kept"
  fi
}

ensure "${REQUEST_TOPIC:-augment.requests}" "${REQUEST_PARTITIONS:-12}"
ensure "${RESULT_TOPIC:-augment.results}" "${RESULT_PARTITIONS:-12}"
ensure "${DLQ_TOPIC:-augment.requests.dlq}" "${DLQ_PARTITIONS:-3}" --config "max.message.bytes=$dlq_max_bytes"
# A dead-letter topic created earlier with smaller records gets the limit too.
"$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type topics \
  --entity-name "${DLQ_TOPIC:-augment.requests.dlq}" --add-config "max.message.bytes=$dlq_max_bytes"
"$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --describe \
  --topic "${REQUEST_TOPIC:-augment.requests}" | head -n 1
echo "kafka-init: topics ready"
