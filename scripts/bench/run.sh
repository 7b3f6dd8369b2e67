#!/usr/bin/env bash
# Runs a load scenario against ours (the lean Jetty bench server) and then against the Node.js socket.io peer,
# one after the other on this machine, and prints the side-by-side table.
#
#   scripts/bench/run.sh <latency|fanout|connections|kafka|all> [--smoke] [--build] [--no-peer]
#
#   --smoke    each scenario tiny (seconds), results under benchmarks/target/smoke-results; what CI runs
#   --build    rebuild benchmarks/target/benchmarks.jar even if it exists (it is built when missing)
#   --no-peer  measure ours only
#
# Results: benchmarks/results/<scenario>-{ours,peer}.json, results.csv, results.md, <scenario>-latency.svg;
# a full run (not --smoke) also refreshes the table in benchmarks/README.md; scripts/bench/report.sh does that
# alone from the JSON files.
# Ports: ours 3201 (and 3203 for the second Kafka node), peer 3202, Kafka 3290/3291. Loopback only.
# Environment: JAVA (java), NODE (node), BENCH_HEAP (ours' -Xmx, 1g), LOADGEN_HEAP (2g),
#              BENCH_ARGS (extra generator options, e.g. "--rate 500"), BENCH_RESULTS (results directory).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
java="${JAVA:-java}"
node="${NODE:-node}"
jar="$root/benchmarks/target/benchmarks.jar"
peer_dir="$root/benchmarks/peer"

scenario="${1:-}"
shift || true
smoke=false
build=false
with_peer=true
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=true ;;
    --build) build=true ;;
    --no-peer) with_peer=false ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
case "$scenario" in
  latency|fanout|connections|kafka) scenarios=("$scenario") ;;
  all) scenarios=(latency fanout connections kafka) ;;
  *) echo "usage: $0 <latency|fanout|connections|kafka|all> [--smoke] [--build] [--no-peer]" >&2; exit 2 ;;
esac

if $smoke; then results="$root/benchmarks/target/smoke-results"; else results="$root/benchmarks/results"; fi
results="${BENCH_RESULTS:-$results}"
# A smoke run checks that everything works, not how fast: C1 only, which starts much faster on a busy machine.
jvm_opts=()
if $smoke; then jvm_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC); fi
# A smoke run judges only what it ran now.
if $smoke && [[ -z "${BENCH_RESULTS:-}" ]]; then rm -rf "$results"; fi
mkdir -p "$results" "$root/benchmarks/target/logs"
logs="$root/benchmarks/target/logs"

# 20,000 client sockets in the generator plus as many in the server: lift the descriptor limit (root may raise
# the hard limit; others get what the hard limit allows).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

started_pids=()
kafka_started=false
kafka_env=(FATECHAT_KAFKA_PORT=3290 FATECHAT_KAFKA_CONTROLLER_PORT=3291 FATECHAT_KAFKA_DATA="$root/benchmarks/target/kafka-data")

stop_pid() {
  local pid="$1"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

cleanup() {
  local pid
  for pid in "${started_pids[@]:-}"; do [[ -n "$pid" ]] && stop_pid "$pid"; done
  started_pids=()
  if $kafka_started; then
    env "${kafka_env[@]}" "$root/scripts/kafka/stop-kafka.sh" > /dev/null 2>&1 || true
    kafka_started=false
  fi
  if [[ -n "${run_dir:-}" && -d "$run_dir" ]]; then rm -rf "$run_dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_http() { # url seconds pid: until the server launched as <pid> answers there (not some stale server)
  local url="$1" seconds="$2" pid="$3" answer
  for _ in $(seq 1 $((seconds * 5))); do
    if ! kill -0 "$pid" 2>/dev/null; then echo "server (pid $pid) exited during start-up" >&2; return 1; fi
    if answer="$(curl -fsS --max-time 2 "$url" 2>/dev/null)"; then
      if [[ "$answer" == *"\"pid\":$pid,"* || "$answer" == *"\"pid\":$pid}"* ]]; then return 0; fi
      echo "another process answers at $url ($answer); is a server from an earlier run still up?" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "no answer from $url within ${seconds}s" >&2
  return 1
}

# --- build -------------------------------------------------------------------------------------------------
if $build || [[ ! -f "$jar" ]]; then
  echo "Building benchmarks/target/benchmarks.jar ..."
  mvn -q -B -Pbenchmarks -pl benchmarks -am package -DskipTests
fi
# Run from a private copy: a concurrent `mvn package` of the reactor rewrites benchmarks/target mid-run.
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/fatechat-bench.XXXXXX")"
cp "$jar" "$run_dir/benchmarks.jar"
jar="$run_dir/benchmarks.jar"
if $with_peer && [[ ! -d "$peer_dir/node_modules/socket.io" ]]; then
  echo "Installing the peer's packages ..."
  (cd "$peer_dir" && npm install --no-package-lock --no-audit --no-fund --loglevel=error)
fi

# --- servers -----------------------------------------------------------------------------------------------
launch_ours() { # port log [extra args...]; sets launched_pid
  local port="$1" log="$2"; shift 2
  "$java" "-Xms256m" "-Xmx${BENCH_HEAP:-1g}" "${jvm_opts[@]:--XX:+UseG1GC}" -cp "$jar" io.fatechat.benchmarks.server.BenchServer \
    --host 127.0.0.1 --port "$port" "$@" > "$log" 2>&1 &
  launched_pid=$!
  started_pids+=("$launched_pid")
}

launch_peer() { # port log; sets launched_pid
  local port="$1" log="$2"
  "$node" --expose-gc "$peer_dir/server.js" --host 127.0.0.1 --port "$port" > "$log" 2>&1 &
  launched_pid=$!
  started_pids+=("$launched_pid")
}

stop_servers() {
  local pid
  for pid in "${started_pids[@]:-}"; do [[ -n "$pid" ]] && stop_pid "$pid"; done
  started_pids=()
}

loadgen() { # scenario label url pids [args...]
  local sc="$1" label="$2" url="$3" pids="$4"; shift 4
  echo "--- $sc: $label ($url)"
  timeout --kill-after=10 "$(loadgen_timeout "$sc")" "$java" "-Xmx${LOADGEN_HEAP:-2g}" "${jvm_opts[@]:--XX:+UseG1GC}" -cp "$jar" \
    io.fatechat.benchmarks.load.LoadGenerator --scenario "$sc" --label "$label" --url "$url" \
    --server-pids "$pids" --out "$results/$sc-$label.json" "$@" ${BENCH_ARGS:-} > "$logs/loadgen-$sc-$label.out" \
    2> >(tee "$logs/loadgen-$sc-$label.err" >&2)
}

loadgen_timeout() {
  if $smoke; then echo 60; else echo 600; fi
}

args_for() { # scenario -> generator arguments
  if $smoke; then
    case "$1" in
      latency|kafka) echo "--clients 40 --rooms 4 --rate 200 --duration 2 --warmup 1" ;;
      fanout) echo "--clients 40 --senders 2 --window 4 --duration 2 --warmup 1" ;;
      connections) echo "--clients 200 --hold 1" ;;
    esac
  else
    case "$1" in
      latency|kafka) echo "--clients 1000 --rooms 100 --rate 2000 --duration 30 --warmup 10" ;;
      fanout) echo "--clients 1000 --senders 10 --window 8 --duration 20 --warmup 5" ;;
      # 19,500, not 20,000: this machine's hard descriptor limit is 20,000 per process (see README)
      connections) echo "--clients ${BENCH_CONNECTIONS:-19500} --hold 25 --connect-concurrency 500" ;;
    esac
  fi
}

run_scenario() {
  local sc="$1"
  # shellcheck disable=SC2207
  local args=($(args_for "$sc"))
  rm -f "$results/$sc-ours.json" "$results/$sc-peer.json"
  if [[ "$sc" == kafka ]]; then
    wait_kafka || return 1
    local topics="bench-$(date +%s)-"
    launch_ours 3201 "$logs/ours-kafka-a.log" --kafka localhost:3290 --node bench-a --topic-prefix "$topics"
    local pid_a="$launched_pid"
    launch_ours 3203 "$logs/ours-kafka-b.log" --kafka localhost:3290 --node bench-b --topic-prefix "$topics"
    local pid_b="$launched_pid"
    wait_http "http://127.0.0.1:3201/bench/memory" 120 "$pid_a" || return 1
    wait_http "http://127.0.0.1:3203/bench/memory" 120 "$pid_b" || return 1
    loadgen kafka ours "http://127.0.0.1:3201,http://127.0.0.1:3203" "$pid_a,$pid_b" "${args[@]}" || return 1
    stop_servers
    echo "(kafka: the peer has no Kafka bus; only ours is measured)"
    return 0
  fi
  if $smoke && $with_peer; then
    # Speed does not matter in a smoke run: both servers and both generators at once.
    launch_ours 3201 "$logs/ours-$sc.log"; local ours_pid="$launched_pid"
    launch_peer 3202 "$logs/peer-$sc.log"; local peer_pid="$launched_pid"
    wait_http "http://127.0.0.1:3201/bench/memory" 90 "$ours_pid" || return 1
    wait_http "http://127.0.0.1:3202/bench/memory" 30 "$peer_pid" || return 1
    loadgen "$sc" ours "http://127.0.0.1:3201" "$ours_pid" "${args[@]}" & local gen_ours=$!
    loadgen "$sc" peer "http://127.0.0.1:3202" "$peer_pid" "${args[@]}" & local gen_peer=$!
    local rc=0
    wait "$gen_ours" || rc=1
    wait "$gen_peer" || rc=1
    stop_servers
    return "$rc"
  fi
  launch_ours 3201 "$logs/ours-$sc.log"
  wait_http "http://127.0.0.1:3201/bench/memory" 90 "$launched_pid" || return 1
  loadgen "$sc" ours "http://127.0.0.1:3201" "$launched_pid" "${args[@]}" || return 1
  stop_servers
  if $with_peer; then
    launch_peer 3202 "$logs/peer-$sc.log"
    wait_http "http://127.0.0.1:3202/bench/memory" 30 "$launched_pid" || return 1
    loadgen "$sc" peer "http://127.0.0.1:3202" "$launched_pid" "${args[@]}" || return 1
    stop_servers
  fi
}

# The broker starts in the background while the other scenarios run.
kafka_bg_pid=""
start_kafka_bg() {
  rm -rf "$root/benchmarks/target/kafka-data"
  kafka_started=true
  env "${kafka_env[@]}" "$root/scripts/kafka/start-kafka.sh" > "$logs/kafka-start.log" 2>&1 &
  kafka_bg_pid=$!
}
wait_kafka() {
  if [[ -z "$kafka_bg_pid" ]]; then start_kafka_bg; fi
  if ! wait "$kafka_bg_pid"; then
    echo "Kafka did not start:" >&2
    cat "$logs/kafka-start.log" >&2
    return 1
  fi
}
for sc in "${scenarios[@]}"; do
  if [[ "$sc" == kafka ]]; then start_kafka_bg; fi
done

failed=()
for sc in "${scenarios[@]}"; do
  if ! run_scenario "$sc"; then
    echo "scenario $sc FAILED (logs in $logs)" >&2
    failed+=("$sc")
    stop_servers
  fi
done

readme_arg=()
if ! $smoke && [[ -z "${BENCH_RESULTS:-}" ]]; then readme_arg=("$root/benchmarks/README.md"); fi
"$java" -cp "$jar" io.fatechat.benchmarks.report.ResultsReport "$results" "${readme_arg[@]}"

if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
if $smoke; then
  # A smoke run fails when a scenario delivered nothing or saw errors.
  "$java" -cp "$jar" io.fatechat.benchmarks.report.SmokeCheck "$results"
fi
