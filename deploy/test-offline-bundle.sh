#!/usr/bin/env bash
# CI check of the offline bundle (issue 6): builds the tarball with bin/package-offline, unpacks it
# in a temporary folder and runs it in a network namespace that has no interface but loopback, with
# ~/.m2, the checkout and the shared fixtures hidden (mounted over), so that only the bundle and a
# Java runtime are there:
#   1. bin/worker check passes;
#   2. bin/worker --embedded-kafka --model models/tiny-mt5 starts (a real KRaft broker child + the
#      worker), /health says UP, bin/worker send gets an ok reply and an EMPTY_TEXT error reply;
#      bin/gateway answers POST /augment through them; DJL extracted its natives into the
#      bundle; SIGTERM stops worker and broker;
#   3. a second bundle built with --libtorch (a CPU libtorch laid out like the libtorch archives,
#      the path CUDA natives take) generates text through PYTORCH_LIBRARY_PATH; --libtorch folders
#      DJL could not use (flavor without JNI library, other PyTorch, CUDA flavor on a CPU build)
#      are refused.
# Everything started is killed on exit, failure included. About 2 minutes on 2 cores.
# Usage: deploy/test-offline-bundle.sh   (as root, or where unshare -r works)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ "${1:-}" == "--inside" ]]; then
  # ---- inside the namespaces: $2 = work folder, $3 = bundle A, $4 = bundle B, $5... = folders to hide
  work="$2"; bundle="$3"; bundle_b="$4"; shift 4
  say() { echo "offline-bundle: $*"; }
  die() { echo "offline-bundle: FAILED: $*" >&2; exit 1; }
  worker_pid=""
  stop_worker() {
    [[ -n "$worker_pid" ]] || return 0
    kill -TERM "$worker_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$worker_pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$worker_pid" 2>/dev/null || true
    worker_pid=""
  }
  trap stop_worker EXIT

  ip link set lo up
  links="$(ip -o link show | awk -F': ' '{print $2}' | tr '\n' ' ')"
  [[ "$links" == "lo " ]] || die "network interfaces besides loopback: $links"
  if timeout 5 bash -c 'exec 3<>/dev/tcp/repo.maven.apache.org/443' 2>/dev/null; then die "the namespace reaches the network"; fi
  for d in "$@"; do
    [[ -d "$d" ]] && mount -t tmpfs -o size=1m,mode=0755 mt5-hidden "$d"
  done
  export HOME="$work/home"; mkdir -p "$HOME"
  unset DJL_CACHE_DIR ENGINE_CACHE_DIR PYTORCH_LIBRARY_PATH PYTORCH_FLAVOR PYTORCH_VERSION MT5_BROKER_CLASSPATH MAVEN_OPTS
  say "network: loopback only; hidden: $*"

  cd "$bundle"
  bin/worker check --cpu-only --embedded-kafka --model models/tiny-mt5 > "$work/check.txt" 2>&1 \
    || { cat "$work/check.txt" >&2; die "bin/worker check failed"; }
  grep -q '^preflight: OK   natives' "$work/check.txt" || { cat "$work/check.txt" >&2; die "no natives line"; }
  say "bin/worker check: ready"

  bin/worker --embedded-kafka --cpu-only --model models/tiny-mt5 --threads 1 --http-port 8080 > "$work/worker.log" 2>&1 &
  worker_pid=$!
  echo "$worker_pid" >> "$work/pids"
  for _ in $(seq 1 150); do
    grep -q 'worker ready' "$work/worker.log" && break
    kill -0 "$worker_pid" 2>/dev/null || { tail -30 "$work/worker.log" >&2; die "the worker exited during start"; }
    sleep 1
  done
  grep -q 'worker ready' "$work/worker.log" || { tail -30 "$work/worker.log" >&2; die "the worker is not ready after 150 s"; }
  sed -n 's/.*embedded Kafka broker starting on .*(pid \([0-9]*\),.*/\1/p' "$work/worker.log" | head -1 >> "$work/pids"
  say "worker ready (embedded broker on 127.0.0.1:9092)"

  health="$(exec 3<>/dev/tcp/127.0.0.1/8080; printf 'GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3; timeout 10 cat <&3)"
  [[ "$health" == *'"status":"UP"'* ]] || die "/health is not UP: $health"
  "$work/healthcheck" 8080 || die "the image's health check fails on a healthy worker"
  if "$work/healthcheck" 8089 2>/dev/null; then die "the image's health check passes where nothing listens"; fi
  say "/health: UP (and the image's health check agrees)"

  timeout 120 bin/worker send --bootstrap-servers 127.0.0.1:9092 \
    '{"id":"offline-ok","text":"今天天气很好","num_return_sequences":2,"max_length":8}' \
    '{"id":"offline-bad","text":""}' > "$work/replies.jsonl" 2> "$work/send.err" \
    || { cat "$work/send.err" "$work/replies.jsonl" >&2; tail -30 "$work/worker.log" >&2; die "bin/worker send failed"; }
  grep -q '"id":"offline-ok","status":"ok"' "$work/replies.jsonl" || { cat "$work/replies.jsonl" >&2; die "no ok reply"; }
  grep '"id":"offline-ok"' "$work/replies.jsonl" | grep -q '"augmented_texts":\["' || die "the ok reply has no variants"
  grep '"id":"offline-bad"' "$work/replies.jsonl" | grep -q '"code":"EMPTY_TEXT"' || { cat "$work/replies.jsonl" >&2; die "no EMPTY_TEXT reply"; }
  say "replies: offline-ok ok with variants, offline-bad EMPTY_TEXT"

  # The HTTP gateway of the bundle (compose runs the same launcher), on the same broker.
  if [[ -x bin/gateway ]]; then
    bin/gateway --bootstrap-servers 127.0.0.1:9092 --port 8000 > "$work/gateway.log" 2>&1 &
    gateway_pid=$!
    echo "$gateway_pid" >> "$work/pids"
    for _ in $(seq 1 60); do
      grep -q 'gateway ready' "$work/gateway.log" && break
      kill -0 "$gateway_pid" 2>/dev/null || { cat "$work/gateway.log" >&2; die "the gateway exited during start"; }
      sleep 1
    done
    "$work/healthcheck" 8000 || { cat "$work/gateway.log" >&2; die "the gateway's health check fails"; }
    body='{"text":"今天天气很好","num_return_sequences":1,"max_length":4}'
    answer="$(exec 3<>/dev/tcp/127.0.0.1/8000
      printf 'POST /augment HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
        "$(printf '%s' "$body" | wc -c)" "$body" >&3
      timeout 60 cat <&3)"
    [[ "$answer" == "HTTP/1.1 200"* && "$answer" == *'"augmented_texts":["'* ]] || die "POST /augment through the gateway: $answer"
    kill -TERM "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true
    say "gateway: /health 200, POST /augment answered by the worker"
  fi

  ls "$bundle/cache/djl/pytorch/"*/libtorch_cpu.so >/dev/null 2>&1 || die "DJL did not extract its natives into the bundle's cache/djl"
  [[ ! -e "$HOME/.djl.ai" ]] || die "DJL used ~/.djl.ai instead of the bundle's cache"

  broker_pid="$(sed -n 2p "$work/pids")"
  kill -TERM "$worker_pid"
  status=0
  for _ in $(seq 1 40); do kill -0 "$worker_pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$worker_pid" 2>/dev/null && die "the worker did not stop within 20 s of SIGTERM"
  wait "$worker_pid" || status=$?
  worker_pid=""
  [[ "$status" == 0 || "$status" == 143 ]] || die "the worker exited $status after SIGTERM"
  for _ in $(seq 1 20); do [[ -n "$broker_pid" ]] && kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.5; done
  [[ -z "$broker_pid" ]] || ! kill -0 "$broker_pid" 2>/dev/null || die "the broker child outlived the worker"
  say "SIGTERM: worker and broker stopped"

  cd "$bundle_b"
  [[ -f native/libtorch/lib/libtorch.so && "$(cat native/libtorch/FLAVOR)" == cpu ]] || die "bundle B has no native/libtorch"
  bin/worker check --cpu-only --embedded-kafka --model models/tiny-mt5 > "$work/check-b.txt" 2>&1 \
    || { cat "$work/check-b.txt" >&2; die "bin/worker check failed in bundle B"; }
  grep -q 'from PYTORCH_LIBRARY_PATH=.*native/libtorch/lib, JNI flavor cpu' "$work/check-b.txt" \
    || { cat "$work/check-b.txt" >&2; die "bundle B does not use its libtorch"; }
  bin/mt5 generate models/tiny-mt5 --text 你好 --max-new-tokens 4 > "$work/generate-b.txt" 2>&1 \
    || { cat "$work/generate-b.txt" >&2; die "bin/mt5 generate failed in bundle B"; }
  grep -q '"sequences"' "$work/generate-b.txt" || die "no generated sequence in bundle B"
  ls "$bundle_b"/cache/djl/pytorch/2.7.1-cpu-linux-x86_64/*libdjl_torch.so >/dev/null 2>&1 \
    || { ls -R "$bundle_b/cache/djl" >&2; die "bundle B's JNI was not set up for its own libtorch"; }
  if ls "$bundle_b"/cache/djl/pytorch/*/libtorch_cpu.so >/dev/null 2>&1; then die "bundle B extracted the CPU jar's natives"; fi
  say "bundle B (--libtorch): generates through PYTORCH_LIBRARY_PATH"
  exit 0
fi

# ---- outside: build, unpack, run the part above in fresh namespaces
started=$SECONDS
work="$(mktemp -d "${TMPDIR:-/tmp}/mt5-offline-test.XXXXXX")"
cleanup() {
  local rc=$?
  if [[ -f "$work/pids" ]]; then
    # Only our own processes: their command lines name the work folder (bundle paths).
    while read -r pid; do
      if [[ -n "$pid" ]] && grep -qF "$work" "/proc/$pid/cmdline" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    done < "$work/pids"
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT INT TERM

ns=(unshare --net --mount)
[[ "$(id -u)" == 0 ]] || ns=(unshare --map-root-user --net --mount)
"${ns[@]}" true 2>/dev/null || { echo "offline-bundle: FAILED: cannot create a network namespace (${ns[*]}); run as root" >&2; exit 1; }

# A CPU libtorch folder shaped like the libtorch archives (lib/ + build-version), from the CPU
# natives jar: bundle B takes it with --libtorch, the way a CUDA libtorch goes in.
cd "$root"
bin/package-offline --out "$work/dist-a"
mkdir -p "$work/libtorch/lib" "$work/a" "$work/b"
tar -xzf "$work"/dist-a/*.tar.gz -C "$work/a"
bundle="$(ls -d "$work"/a/mt5-augment-*)"
natives_jar="$(ls "$bundle"/lib/pytorch-native-cpu-*.jar)"
if command -v unzip >/dev/null 2>&1; then
  (cd "$work/libtorch/lib" && unzip -q -j "$natives_jar" 'pytorch/cpu/linux-x86_64/*')
else
  (cd "$work/libtorch" && jar xf "$natives_jar" pytorch/cpu/linux-x86_64 && mv pytorch/cpu/linux-x86_64/* lib/ && rm -rf pytorch)
fi
echo "2.7.1+cpu" > "$work/libtorch/build-version"
# --libtorch folders DJL could not use are refused before anything is copied.
refuse() {  # BUILD-VERSION EXPECTED-MESSAGE
  rm -rf "$work/bad" && mkdir -p "$work/bad/lib" && : > "$work/bad/lib/libtorch.so" && echo "$1" > "$work/bad/build-version"
  if bin/package-offline --out "$work/dist-bad" --libtorch "$work/bad" 2> "$work/bad.err"; then
    echo "offline-bundle: FAILED: --libtorch $1 was accepted" >&2; exit 1
  fi
  grep -qF "$2" "$work/bad.err" || { cat "$work/bad.err" >&2; exit 1; }
}
refuse "2.7.1+cu126" "exists for: cpu cu128"
refuse "2.6.0+cu124" "the engine needs 2.7.1"
refuse "2.7.1+cu128" "no lib/libtorch_cuda.so"
[[ ! -e "$work/dist-bad" ]] || { echo "offline-bundle: FAILED: a refused --libtorch left a tarball" >&2; exit 1; }
echo "offline-bundle: --libtorch refuses cu126, PyTorch 2.6.0 and a CUDA flavor without libtorch_cuda.so"
bin/package-offline --out "$work/dist-b" --libtorch "$work/libtorch"
tar -xzf "$work"/dist-b/*.tar.gz -C "$work/b"
bundle_b="$(ls -d "$work"/b/mt5-augment-*)"
rm -rf "$work/libtorch" "$work/dist-b"
echo "offline-bundle: built and unpacked in $((SECONDS - started)) s"

hide=("$HOME/.m2" "$root" "$(cd "$root/.." && pwd)/shared")
cp "$0" "$work/inside.sh"
cp "$root/deploy/docker/healthcheck" "$work/healthcheck"
timeout --kill-after=10 420 "${ns[@]}" bash "$work/inside.sh" --inside "$work" "$bundle" "$bundle_b" "${hide[@]}"
echo "offline-bundle: passed in $((SECONDS - started)) s"
