#!/usr/bin/env bash
# CI check of the compose topic set-up without Docker: runs deploy/compose/kafka-init.sh, with
# Kafka's own tools (kafka-tools at the pinned version; kafka-topics.sh and friends are thin
# wrappers around these classes), against a real KRaft broker, then serves a request through a
# worker that, like the compose workers, does not create topics. In a network namespace (free
# ports, nothing else reached). Checks:
#   - the compose broker health check command (kafka-broker-api-versions.sh) passes;
#   - augment.requests / augment.results get 12 partitions, augment.requests.dlq 3 partitions and
#     max.message.bytes=2097152;
#   - a re-run with MT5_REQUEST_PARTITIONS=16 grows the request topic and keeps the others;
#   - a worker with --create-topics false answers a request on those topics.
# About a minute and a half on 2 cores. Everything started is killed on exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ "${1:-}" == "--inside" ]]; then
  work="$2"
  say() { echo "kafka-init: $*"; }
  die() { echo "kafka-init: FAILED: $*" >&2; exit 1; }
  pids=()
  stop_all() {
    for p in ${pids[@]+"${pids[@]}"}; do kill -TERM "$p" 2>/dev/null || true; done
    for p in ${pids[@]+"${pids[@]}"}; do
      for _ in $(seq 1 30); do kill -0 "$p" 2>/dev/null || break; sleep 1; done
      kill -KILL "$p" 2>/dev/null || true
    done
  }
  trap stop_all EXIT
  ip link set lo up
  cd "$root"
  wait_ready() {  # LOG PID
    for _ in $(seq 1 150); do
      grep -q "$3" "$1" && return 0
      kill -0 "$2" 2>/dev/null || { tail -30 "$1" >&2; die "exited during start: $1"; }
      sleep 1
    done
    tail -30 "$1" >&2; die "not ready after 150 s: $1"
  }

  # The broker: an embedded one, hosted by a worker on topics of its own.
  bin/worker --embedded-kafka --embedded-kafka-port 9092 --cpu-only --http-port -1 --threads 1 \
    --request-topic host.requests --result-topic host.results --dead-letter-topic host.dlq --group-id host \
    --instance-id host --log-dir "$work/logs-host" > "$work/host.log" 2>&1 &
  pids+=($!); echo "$!" >> "$work/pids"
  wait_ready "$work/host.log" "$!" "worker ready"
  "$work/kafka-bin/kafka-broker-api-versions.sh" --bootstrap-server localhost:9092 > /dev/null 2>&1 \
    || die "the compose health check command fails on a running broker"
  say "broker up; the compose health check command passes"

  export KAFKA_BIN="$work/kafka-bin" BOOTSTRAP=127.0.0.1:9092 DLQ_PARTITIONS=3 DLQ_MAX_MESSAGE_BYTES=2097152
  bash deploy/compose/kafka-init.sh > "$work/init1.log" 2>&1 || { cat "$work/init1.log" >&2; die "kafka-init.sh failed"; }
  partitions() { "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --describe --topic "$1" | sed -n 's/.*PartitionCount: *\([0-9]*\).*/\1/p' | head -1; }
  [[ "$(partitions augment.requests)" == 12 ]] || die "augment.requests has $(partitions augment.requests) partitions, not 12"
  [[ "$(partitions augment.results)" == 12 ]] || die "augment.results has $(partitions augment.results) partitions"
  [[ "$(partitions augment.requests.dlq)" == 3 ]] || die "the DLQ has $(partitions augment.requests.dlq) partitions"
  "$KAFKA_BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --describe --entity-type topics --entity-name augment.requests.dlq \
    | grep -q 'max.message.bytes=2097152' || die "the DLQ does not take 2 MiB records"
  say "topics created: 12 / 12 / 3 partitions, DLQ max.message.bytes=2097152"

  REQUEST_PARTITIONS=16 bash deploy/compose/kafka-init.sh > "$work/init2.log" 2>&1 || { cat "$work/init2.log" >&2; die "the re-run failed"; }
  [[ "$(partitions augment.requests)" == 16 ]] || die "the re-run did not grow augment.requests to 16"
  grep -q 'augment.results has 12 partitions (wanted 12): kept' "$work/init2.log" || { cat "$work/init2.log" >&2; die "the re-run touched augment.results"; }
  say "re-run: augment.requests grown to 16, the others kept"

  # A worker as compose runs it: external broker, topics not created by it.
  bin/worker --bootstrap-servers 127.0.0.1:9092 --create-topics false --cpu-only --http-port 8080 --threads 1 \
    --instance-id compose-like --log-dir "$work/logs-worker" > "$work/worker.log" 2>&1 &
  pids+=($!); echo "$!" >> "$work/pids"
  wait_ready "$work/worker.log" "$!" "assigned \[augment.requests"
  timeout 120 bin/worker send --bootstrap-servers 127.0.0.1:9092 '{"id":"init-1","text":"你好","num_return_sequences":1,"max_length":4}' \
    > "$work/reply.jsonl" 2> "$work/send.err" || { cat "$work/send.err" >&2; tail -20 "$work/worker.log" >&2; die "no reply"; }
  grep -q '"id":"init-1","status":"ok"' "$work/reply.jsonl" || { cat "$work/reply.jsonl" >&2; die "bad reply"; }
  grep -q 'created topic' "$work/worker.log" && die "the worker created a topic"
  say "a worker with --create-topics false answers on the init script's topics"
  exit 0
fi

started=$SECONDS
work="$(mktemp -d "${TMPDIR:-/tmp}/mt5-kafka-init-test.XXXXXX")"
cleanup() {
  local rc=$?
  if [[ -f "$work/pids" ]]; then
    while read -r pid; do
      if [[ -n "$pid" ]] && grep -qF "$work" "/proc/$pid/cmdline" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    done < "$work/pids"
  fi
  [[ -n "${KEEP_WORK:-}" ]] || rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT INT TERM
cd "$root"

# Kafka's tools at the pinned version, and wrappers named like the scripts of Kafka's bin/.
./mvnw -q -B -f deploy/kafka-tools/pom.xml dependency:build-classpath -Dmdep.outputFile="$work/tools.classpath" \
  -Dmdep.includeScope=runtime >&2
mkdir -p "$work/kafka-bin"
for tool in kafka-topics.sh:org.apache.kafka.tools.TopicCommand kafka-configs.sh:org.apache.kafka.tools.ConfigCommand \
            kafka-broker-api-versions.sh:org.apache.kafka.tools.BrokerApiVersionsCommand; do
  printf '#!/bin/sh\nexec java -Xshare:auto -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "%s" %s "$@"\n' "$(cat "$work/tools.classpath")" "${tool#*:}" \
    > "$work/kafka-bin/${tool%%:*}"
  chmod +x "$work/kafka-bin/${tool%%:*}"
done
# The tiny worker needs its jars built (bin/launch builds them when missing).
bin/worker --help > /dev/null

ns=(unshare --net)
[[ "$(id -u)" == 0 ]] || ns=(unshare --map-root-user --net)
timeout --kill-after=10 400 "${ns[@]}" bash "$0" --inside "$work"
echo "kafka-init: passed in $((SECONDS - started)) s"
