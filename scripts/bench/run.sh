#!/usr/bin/env bash
# Runs a load scenario against ours, the shipped reference server (examples/reference-server: Tomcat, the
# embedded default with an H2 file, in-memory bus), against the plain-Java example as shipped ("plain":
# examples/plain-java, Jetty, H2 file) and against the Node.js socket.io peer, on this machine, and prints the
# side-by-side table.
#
#   scripts/bench/run.sh <latency|saturation|fanout|connections|refused|kafka|all> [--smoke] [--build] [--no-peer] [--no-plain]
#
#   --smoke    each scenario tiny (seconds), results under benchmarks/target/smoke-results; what CI runs
#   --build    rebuild the jars even if they exist (they are built when missing)
#   --no-peer  no peer lane
#   --no-plain no plain-Java lane
#
# Ours runs `java -jar reference-server.jar --spring.profiles.active=bench` from a fresh working directory (so
# a fresh ./data H2 file): the bench profile (examples/reference-server, application-bench.yml) listens on
# 127.0.0.1 only, lifts the per-user send rate and serves /bench/tokens (tokens minted for load users, no
# registration and no bcrypt per user), /bench/rooms and /bench/memory.
# Plain runs io.fatechat.benchmarks.server.PlainJavaBenchLauncher (benchmarks.jar): the example's own
# PlainJavaChatServer.start, unchanged, with an H2 file in a fresh directory, and /bench/* on a second,
# loopback-only port (the generator's --bench-url). It runs latency, saturation and connections (not fanout:
# the example's shipped per-user send limit would reject most of its sends).
# The kafka scenario (two reference nodes on Kafka + Redis + MariaDB) is scripts/bench/kafka.sh, run from here
# when it exists with BENCH_RESULTS, BENCH_SMOKE, BENCH_JAR (the load generator) and BENCH_SERVER_JAR set.
#
# Results: benchmarks/results/<scenario>-{ours,peer}.json, <scenario>-load.txt (the machine's load average),
# results.csv, results.md, <scenario>-latency.svg; a full run (not --smoke) also refreshes the table in
# benchmarks/README.md; scripts/bench/report.sh does that alone from the JSON files.
# refused: 1,000 sockets each sending one CONNECT with a bad token to ours on -Xmx512m; it must still answer.
# Ports: ours 3201, peer 3202, plain 3203 (its /bench/* on 3204). Loopback only. `all` takes about 12 minutes, `all --smoke` about 1.5.
# Environment: JAVA (java), NODE (node), BENCH_HEAP (ours' -Xmx, 1g), LOADGEN_HEAP (2g),
#              BENCH_ARGS (extra generator options, e.g. "--rate 500"), BENCH_RESULTS (results directory).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck source=../lib.sh
source "$root/scripts/lib.sh"
java="${JAVA:-java}"
node="${NODE:-node}"
jar="$root/benchmarks/target/benchmarks.jar"
server_jar="$root/examples/reference-server/target/reference-server.jar"
peer_dir="$root/benchmarks/peer"

scenario="${1:-}"
shift || true
smoke=false
build=false
with_peer=true
with_plain=true
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=true ;;
    --build) build=true ;;
    --no-peer) with_peer=false ;;
    --no-plain) with_plain=false ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
case "$scenario" in
  latency|saturation|fanout|connections|refused|kafka) scenarios=("$scenario") ;;
  all) scenarios=(latency saturation fanout connections refused kafka) ;;
  *) echo "usage: $0 <latency|saturation|fanout|connections|refused|kafka|all> [--smoke] [--build] [--no-peer] [--no-plain]" >&2; exit 2 ;;
esac

if $smoke; then results="$root/benchmarks/target/smoke-results"; else results="$root/benchmarks/results"; fi
results="${BENCH_RESULTS:-$results}"
# A smoke run checks that everything works, not how fast: C1 only, which starts much faster on a busy machine.
jvm_opts=(-XX:+UseG1GC)
if $smoke; then jvm_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC); fi
# A smoke run judges only what it ran now.
if $smoke && [[ -z "${BENCH_RESULTS:-}" ]]; then rm -rf "$results"; fi
mkdir -p "$results" "$root/benchmarks/target/logs"
logs="$root/benchmarks/target/logs"

# 20,000 client sockets in the generator plus as many in the server
raise_fd_limit

cleanup() {
  stop_started
  if [[ -n "${run_dir:-}" && -d "$run_dir" ]]; then rm -rf "$run_dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build -------------------------------------------------------------------------------------------------
if $build || [[ ! -f "$jar" || ! -f "$server_jar" ]]; then
  echo "Building benchmarks/target/benchmarks.jar and examples/reference-server/target/reference-server.jar ..."
  mvn -B -ntp -q -Pbenchmarks -pl benchmarks,examples/reference-server -am package -DskipTests
fi
# Run from private copies: a concurrent `mvn package` of the reactor rewrites target/ mid-run.
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/fatechat-bench.XXXXXX")"
cp "$jar" "$run_dir/benchmarks.jar"
cp "$server_jar" "$run_dir/reference-server.jar"
jar="$run_dir/benchmarks.jar"
server_jar="$run_dir/reference-server.jar"
if $with_peer && [[ ! -d "$peer_dir/node_modules/socket.io" ]]; then
  echo "Installing the peer's packages ..."
  (cd "$peer_dir" && npm install --no-package-lock --no-audit --no-fund --loglevel=error)
fi

# --- servers -----------------------------------------------------------------------------------------------
launch_ours() { # port log; sets launched_pid. A fresh working directory: a fresh H2 file and token secret.
  local port="$1" log="$2" dir
  dir="$(mktemp -d "$run_dir/ours.XXXXXX")"
  (cd "$dir" && exec "$java" -Xms256m "-Xmx${BENCH_HEAP:-1g}" "${jvm_opts[@]}" -jar "$server_jar" \
    --spring.profiles.active=bench --server.port="$port" > "$log" 2>&1) &
  launched_pid=$!
  track_pid "$launched_pid"
}

launch_plain() { # port bench-port log; sets launched_pid. The shipped example, /bench/* on bench-port.
  local port="$1" bench_port="$2" log="$3" dir
  dir="$(mktemp -d "$run_dir/plain.XXXXXX")"
  "$java" -Xms256m "-Xmx${BENCH_HEAP:-1g}" "${jvm_opts[@]}" -cp "$jar" \
    io.fatechat.benchmarks.server.PlainJavaBenchLauncher --port "$port" --bench-port "$bench_port" --data "$dir" \
    > "$log" 2>&1 &
  launched_pid=$!
  track_pid "$launched_pid"
}

plain_runs() { # scenario -> whether the plain lane measures it
  # refused and kafka are ours-only set-ups; fanout's senders go as fast as acks come back, and the example
  # ships the engine's default limit (10 messages/s per user, burst 20), so there it would measure the limiter.
  $with_plain && [[ "$1" != refused && "$1" != kafka && "$1" != fanout ]]
}

launch_peer() { # port log; sets launched_pid
  local port="$1" log="$2"
  "$node" --expose-gc "$peer_dir/server.js" --host 127.0.0.1 --port "$port" > "$log" 2>&1 &
  launched_pid=$!
  track_pid "$launched_pid"
}

loadgen() { # scenario label url pids [args...]
  local sc="$1" label="$2" url="$3" pids="$4"; shift 4
  echo "--- $sc: $label ($url)"
  timeout --kill-after=10 "$(loadgen_timeout)" "$java" "-Xmx${LOADGEN_HEAP:-2g}" "${jvm_opts[@]}" -cp "$jar" \
    io.fatechat.benchmarks.load.LoadGenerator --scenario "$sc" --label "$label" --url "$url" \
    --server-pids "$pids" --out "$results/$sc-$label.json" "$@" ${BENCH_ARGS:-} > "$logs/loadgen-$sc-$label.out" \
    2> >(tee "$logs/loadgen-$sc-$label.err" >&2)
}

loadgen_timeout() {
  if $smoke; then echo 180; else echo 400; fi
}

args_for() { # scenario -> generator arguments
  if $smoke; then
    case "$1" in
      latency) echo "--clients 40 --rooms 4 --rate 200 --duration 2 --warmup 1" ;;
      saturation) echo "--clients 40 --rooms 4 --rates 100,200 --step-warmup 1 --step-duration 2" ;;
      fanout) echo "--clients 40 --senders 2 --window 4 --duration 2 --warmup 1" ;;
      connections) echo "--clients 200 --hold 1" ;;
      refused) echo "--clients 100 --hold 1" ;;
    esac
  else
    case "$1" in
      latency) echo "--clients 1000 --rooms 100 --rate 2000 --duration 20 --warmup 5" ;;
      saturation) echo "--clients 1000 --rooms 100 --rates 250,500,1000,2000,3000,4000,6000,8000,12000,16000 --step-warmup 2 --step-duration 6" ;;
      fanout) echo "--clients 1000 --senders 10 --window 8 --duration 15 --warmup 5" ;;
      # 19,500, not 20,000: this machine's hard descriptor limit is 20,000 per process (see README)
      # 100 source addresses: the shipped per-address cap (fatechat.socketio.max-connections-per-address, 200)
      # stays on, as users run it, so 19,500 clients need at least 98 addresses
      connections) echo "--clients ${BENCH_CONNECTIONS:-19500} --hold 15 --connect-concurrency 500 --source-addrs 100" ;;
      refused) echo "--clients 1000 --hold 5" ;;
    esac
  fi
}

load_average() {
  cut -d' ' -f1-3 /proc/loadavg
}

# Smoke: one server of each kind serves every scenario (rooms and users are the same), both run at once.
smoke_ours_pid=""
smoke_peer_pid=""
smoke_plain_pid=""
start_smoke_servers() {
  [[ -n "$smoke_ours_pid" ]] && return 0
  launch_ours 3201 "$logs/ours-smoke.log"; smoke_ours_pid="$launched_pid"
  if $with_peer; then launch_peer 3202 "$logs/peer-smoke.log"; smoke_peer_pid="$launched_pid"; fi
  if $with_plain; then launch_plain 3203 3204 "$logs/plain-smoke.log"; smoke_plain_pid="$launched_pid"; fi
  wait_http "http://127.0.0.1:3201/bench/memory" 180 "$smoke_ours_pid" || { cat "$logs/ours-smoke.log" >&2; return 1; }
  if $with_plain; then
    wait_http "http://127.0.0.1:3204/bench/memory" 180 "$smoke_plain_pid" || { cat "$logs/plain-smoke.log" >&2; return 1; }
  fi
  if $with_peer; then wait_http "http://127.0.0.1:3202/bench/memory" 30 "$smoke_peer_pid" || return 1; fi
}

run_kafka() {
  local script="$root/scripts/bench/kafka.sh"
  if [[ ! -x "$script" ]]; then
    echo "kafka: scripts/bench/kafka.sh is not there yet (issue 19: two reference nodes on Kafka + Redis + MariaDB); skipped"
    return 0
  fi
  BENCH_RESULTS="$results" BENCH_SMOKE="$smoke" BENCH_JAR="$jar" BENCH_SERVER_JAR="$server_jar" JAVA="$java" \
    "$script" $($smoke && echo --smoke)
}

run_scenario() {
  local sc="$1"
  if [[ "$sc" == kafka ]]; then run_kafka; return; fi
  # shellcheck disable=SC2207
  local args=($(args_for "$sc"))
  local load_before rc=0
  load_before="$(load_average)"
  rm -f "$results/$sc-ours.json" "$results/$sc-peer.json" "$results/$sc-plain.json"
  if $smoke; then
    start_smoke_servers || return 1
    loadgen "$sc" ours "http://127.0.0.1:3201" "$smoke_ours_pid" "${args[@]}" & local gen_ours=$!
    if plain_runs "$sc"; then
      loadgen "$sc" plain "http://127.0.0.1:3203" "$smoke_plain_pid" "${args[@]}" --bench-url "http://127.0.0.1:3204" &
      local gen_plain=$!
    fi
    if $with_peer && [[ "$sc" != refused ]]; then
      loadgen "$sc" peer "http://127.0.0.1:3202" "$smoke_peer_pid" "${args[@]}" & local gen_peer=$!
      wait "$gen_peer" || rc=1
    fi
    wait "$gen_ours" || rc=1
    if [[ -n "${gen_plain:-}" ]]; then wait "$gen_plain" || rc=1; fi
  elif [[ "$sc" == refused ]]; then
    # ours only, on a small heap: refused sockets must not cost what accepted ones do
    BENCH_HEAP=512m launch_ours 3201 "$logs/ours-$sc.log"
    wait_http "http://127.0.0.1:3201/bench/memory" 120 "$launched_pid" || { tail -20 "$logs/ours-$sc.log" >&2; return 1; }
    loadgen "$sc" ours "http://127.0.0.1:3201" "$launched_pid" "${args[@]}" || rc=1
    if grep -q OutOfMemoryError "$logs/ours-$sc.log"; then echo "refused: ours ran out of memory" >&2; rc=1; fi
    stop_started
  else
    launch_ours 3201 "$logs/ours-$sc.log"
    wait_http "http://127.0.0.1:3201/bench/memory" 120 "$launched_pid" || { tail -20 "$logs/ours-$sc.log" >&2; return 1; }
    loadgen "$sc" ours "http://127.0.0.1:3201" "$launched_pid" "${args[@]}" || rc=1
    stop_started
    if plain_runs "$sc" && ((rc == 0)); then
      launch_plain 3203 3204 "$logs/plain-$sc.log"
      wait_http "http://127.0.0.1:3204/bench/memory" 120 "$launched_pid" || { tail -20 "$logs/plain-$sc.log" >&2; return 1; }
      loadgen "$sc" plain "http://127.0.0.1:3203" "$launched_pid" "${args[@]}" --bench-url "http://127.0.0.1:3204" || rc=1
      stop_started
    fi
    if $with_peer && ((rc == 0)); then
      launch_peer 3202 "$logs/peer-$sc.log"
      wait_http "http://127.0.0.1:3202/bench/memory" 30 "$launched_pid" || return 1
      loadgen "$sc" peer "http://127.0.0.1:3202" "$launched_pid" "${args[@]}" || rc=1
      stop_started
    fi
  fi
  echo "load average (1, 5, 15 min) before: $load_before; after: $(load_average); $(nproc) cores" \
    > "$results/$sc-load.txt"
  return "$rc"
}

failed=()
for sc in "${scenarios[@]}"; do
  if ! run_scenario "$sc"; then
    echo "scenario $sc FAILED (logs in $logs)" >&2
    failed+=("$sc")
    if ! $smoke; then stop_started; fi
  fi
done
stop_started

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
