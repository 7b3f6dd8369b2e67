#!/usr/bin/env bash
# The fault-injection suite: starts the real thing as local processes (two reference nodes on a KRaft broker,
# Redis and MariaDB; then the embedded default alone), drives a verifiable load through the stock Socket.IO
# client and injects one fault at a time. Prints a row per fault and writes the table to docs/reliability.md.
#
#   scripts/chaos/run.sh                 # the full suite (~20 min), writes docs/reliability.md
#   scripts/chaos/run.sh --ci            # fewer messages, shorter windows, the same faults (~5 min);
#                                        # writes target/chaos/reliability.md
#   scripts/chaos/run.sh --only kafka-stop,embedded-kill   # a subset (names: see FAULTS below)
#
# Exit status: 0 when no fault lost an acked message, duplicated one (history or live) or left a send
# unanswered; 1 otherwise; 2 when the suite could not run. Times are reported, never judged.
#
# Needs: JDK 17+, Maven (for the Kafka jars and the reference server), Node.js 18+ with npm, redis-server,
# mariadbd and mariadb-install-db (Debian: redis-server, mariadb-server; installed with apt-get when missing and
# running as root). Uses only its own ports: chat nodes 3601-3610, Kafka 19092/19093, Redis 16379,
# MariaDB 13306; never the shared Redis/MariaDB.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../lib.sh
source "$root/scripts/lib.sh"
jar="$root/examples/reference-server/target/reference-server.jar"

CHAOS_NODE_PORTS=(3601 3602)
CHAOS_EMBEDDED_PORT=3610
KAFKA_PORT=19092
KAFKA_CONTROLLER_PORT=19093
REDIS_PORT=16379
MARIADB_PORT=13306
TOKEN_SECRET="chaos-suite-token-secret-of-32-bytes-or-more"
FAULTS=(node-kill kafka-stop kafka-kill redis-restart redis-stop mariadb-stop embedded-kill)

log() { printf '%s [chaos] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { log "$*" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------------------
# Processes. Every process the suite starts writes $work/pids/<name>.pid; cleanup stops them all.

pid_of() { cat "$work/pids/$1.pid" 2>/dev/null || true; }

wait_for_port() { # name port seconds (wait_port of scripts/lib.sh, for a process known by name)
  wait_port "$2" "$3" "$(pid_of "$1")" "$1"
}

kill9() { # name
  local p; p="$(pid_of "$1")"
  [[ -n "$p" ]] || return 0
  kill -9 "$p" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
}

stop_gracefully() { # name seconds
  stop_pid "$(pid_of "$1")" "$2"
}

start_redis() {
  mkdir -p "$work/redis"
  # No RDB, no AOF: a restart loses every key, which is the fault we want.
  nohup redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$work/redis" \
    >> "$work/logs/redis.log" 2>&1 &
  echo $! > "$work/pids/redis.pid"
  disown
  wait_for_port redis "$REDIS_PORT" 30
}

start_mariadb() {
  local d="$work/mariadb"
  local -a user=()
  [[ $(id -u) == 0 ]] && user=(--user=root) # mariadbd refuses to run as root without it
  if [[ ! -d "$d/data/mysql" ]]; then
    mkdir -p "$d/data"
    mariadb-install-db --no-defaults --datadir="$d/data" --auth-root-authentication-method=normal \
      "${user[@]}" >> "$work/logs/mariadb.log" 2>&1 || { tail -20 "$work/logs/mariadb.log"; return 1; }
  fi
  nohup mariadbd --no-defaults --datadir="$d/data" --port="$MARIADB_PORT" --bind-address=127.0.0.1 \
    --socket="$d/mysqld.sock" --pid-file="$d/mariadbd.pid" "${user[@]}" --skip-log-bin \
    --innodb-buffer-pool-size=64M --log-error="$work/logs/mariadb.err" >> "$work/logs/mariadb.log" 2>&1 &
  echo $! > "$work/pids/mariadb.pid"
  disown
  wait_for_port mariadb "$MARIADB_PORT" 60
  for _ in $(seq 1 60); do
    mysqladmin --no-defaults --socket="$d/mysqld.sock" -uroot ping >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}

start_kafka() {
  # The project's own local-broker script, on our ports and our data directory.
  FATECHAT_KAFKA_PORT="$KAFKA_PORT" FATECHAT_KAFKA_CONTROLLER_PORT="$KAFKA_CONTROLLER_PORT" \
    FATECHAT_KAFKA_DATA="$work/kafka" KAFKA_HEAP=384m "$root/scripts/kafka/start-kafka.sh" >> "$work/logs/kafka-start.log" 2>&1
  [[ -f "$work/kafka/kafka.pid" ]] || { tail -30 "$work/logs/kafka-start.log"; return 1; }
  cp "$work/kafka/kafka.pid" "$work/pids/kafka.pid"
  # The script gives the broker 60 s; on a busy machine its log recovery after a kill -9 can take longer.
  wait_for_port kafka "$KAFKA_PORT" 180 || { tail -30 "$work/logs/kafka-start.log"; return 1; }
}

start_node() { # id port [embedded]
  local id="$1" port="$2" dir="$work/node-$1"
  mkdir -p "$dir"
  local -a env=(FATECHAT_AUTH_TOKEN_SECRET="$TOKEN_SECRET")
  if [[ "${3:-}" != embedded ]]; then
    env+=(FATECHAT_KAFKA_BOOTSTRAP_SERVERS="localhost:$KAFKA_PORT" FATECHAT_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
      FATECHAT_JDBC_URL="jdbc:mysql://127.0.0.1:$MARIADB_PORT/fatechat" FATECHAT_JDBC_USERNAME=root)
  fi
  # cd: the embedded default keeps its H2 file under ./data of the working directory.
  pushd "$dir" >/dev/null
  env "${env[@]}" nohup java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$jar" --server.port="$port" \
    --fatechat.node-id="$id" --fatechat.presence-lease-ttl="${CHAOS_LEASE_TTL}s" \
    --fatechat.limits.messages-per-second=500 --fatechat.limits.message-burst=1000 --fatechat.auth.bcrypt-cost=4 \
    --fatechat.kafka.publish-timeout="${CHAOS_PUBLISH_TIMEOUT}s" \
    >> "$work/logs/node-$id.log" 2>&1 &
  echo $! > "$work/pids/node-$id.pid"
  disown
  popd >/dev/null
  wait_for_port "node-$id" "$port" 360 || return 1
  # The port opens before the last beans are ready; wait for an answer of the REST API.
  for _ in $(seq 1 120); do
    curl -s -o /dev/null -m 5 "http://127.0.0.1:$port/api/chat" && return 0
    sleep 0.5
  done
  return 1
}

node_id_of_port() { case "$1" in 3601) echo a ;; 3602) echo b ;; 3610) echo e ;; esac; }

# ---------------------------------------------------------------------------------------------------------
# Faults. Each one runs in a child (the driver starts `run.sh __fault <name>`), with a bounded duration, and
# returns once the fault is over: the process restarted or continued.

fault() {
  case "$1" in
    node-kill)
      log "kill -9 node b"; kill9 node-b
      log "restarting node b"; start_node b "${CHAOS_NODE_PORTS[1]}" ;;
    kafka-stop)
      log "SIGSTOP Kafka for 10 s"; kill -STOP "$(pid_of kafka)"; sleep 10; kill -CONT "$(pid_of kafka)"; log "SIGCONT Kafka" ;;
    kafka-kill)
      log "kill -9 Kafka"; kill9 kafka
      log "restarting Kafka"; start_kafka ;;
    redis-restart)
      log "kill -9 Redis (no persistence: every key is lost)"; kill9 redis
      log "restarting Redis"; start_redis ;;
    redis-stop)
      log "SIGSTOP Redis for 10 s"; kill -STOP "$(pid_of redis)"; sleep 10; kill -CONT "$(pid_of redis)"; log "SIGCONT Redis" ;;
    mariadb-stop)
      local t0=$SECONDS
      log "stopping MariaDB for 20 s"; stop_gracefully mariadb 15
      sleep $((20 - (SECONDS - t0) > 0 ? 20 - (SECONDS - t0) : 0))
      log "starting MariaDB"; start_mariadb ;;
    embedded-kill)
      log "kill -9 the embedded-default server"; kill9 node-e
      log "restarting it"; start_node e "$CHAOS_EMBEDDED_PORT" embedded ;;
    *) die "unknown fault $1" ;;
  esac
}

# ---------------------------------------------------------------------------------------------------------
# The report: the table and how each figure is measured.

write_doc() { # file table command seconds load
  cat > "$1" <<DOC
# Reliability under faults

\`scripts/chaos/run.sh\` starts the real thing as local processes — two reference servers
(\`examples/reference-server\`) on one KRaft broker, Redis and MariaDB, then the embedded default alone — drives a
verifiable load through the stock \`socket.io-client\` and injects one fault at a time. This file is written by
the suite; the table below is its latest run.

## Latest run

\`$3\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc 2>/dev/null || echo '?') cores shared with other work (load average
$5); took $4 s. Presence lease TTL ${CHAOS_LEASE_TTL} s. Per fault: a
fresh room, Kafka publish timeout ${CHAOS_PUBLISH_TIMEOUT} s, ${senders} sending users per node (twice as many on the single embedded node) at ${rate}
messages/s each (at most ${window} unacknowledged at a time), ${passive} listening user per node, and one
observer per node.

$(cat "$2")

A row fails (and the suite exits 1) when an acked message is missing from history, a message is stored or
delivered twice, a re-sent \`clientId\` is acked with another id, a send stays unanswered, or the driver could
not run the fault. Times are reported, never judged: a fault the global time bound left no time for is shown
as "not run" and does not fail the suite (unless none ran).

## The faults

One at a time, each with a bounded duration, after a warm-up under load. After the fault the load goes on until
its effects are over (every user joined again, every failed sender has had a send succeed, presence right on every
node for 3 s), but at least until the lease TTL plus 5 s after the fault began and 5 s after it ended, and at most
the lease TTL plus 5 s after it ended; then the load stops and the unacked sends are re-sent:

| fault | what the suite does |
|---|---|
| kill -9 of a chat node | \`kill -9\` node b, start it again at once (its users fail over to node a meanwhile) |
| SIGSTOP of the broker | \`kill -STOP\` the Kafka broker, \`kill -CONT\` it 10 s later |
| kill -9 of the broker | \`kill -9\` the broker, start it again on the same log directory |
| Redis restart | \`kill -9\` Redis (no RDB, no AOF: every key is lost), start it again empty |
| SIGSTOP of Redis | \`kill -STOP\` Redis, \`kill -CONT\` it 10 s later |
| MariaDB stopped | stop \`mariadbd\` (SIGTERM), start it again 20 s after the stop began |
| kill -9 of the embedded default | one node with no Kafka, Redis or MySQL (in-memory bus and presence, H2 file): \`kill -9\` it mid-stream, start it again on the same H2 file |

## How each figure is measured

- **Load.** Every sending user has a counter; message *n* of user *u* has the text \`chaos u n\` and the
  \`clientId\` \`u-n\`. A send whose ack is an error, whose connection drops before the ack, or that gets no
  answer within $((ack_timeout / 1000)) s is re-sent with the **same** \`clientId\` until it is acked, as a careful
  client does.
  Users whose connection drops reconnect to the next node (as behind a load balancer) and join the room again.
  When the load stops, each sending user also re-sends the last 10 messages it had acked before the fault, as
  a client unsure of its acks after a crash would: each must be acked with its original id and stored once.
- **acked** — distinct messages acknowledged \`{ok:true}\`.
- **acked lost** — acked messages missing from the room's history, read back over REST
  (\`GET /api/chat/{id}/messages\`, paging with \`before\` to the end) through **every** node; the worst node
  counts. History is re-read until every acked message is there or the settle time (${settle} ms) is up, since
  history may lag delivery by design (a database outage delays history, never delivery). An acked message
  found only under another id (its re-send was stored anew) is lost too; a re-sent \`clientId\` acked with an id
  other than its first ack is shown beside the figure and fails the row.
- **duplicates in history** — rows beyond the first with the same \`u-n\`, worst node.
- **live deliveries / duplicates** — \`receiveMessage\` events of the room's messages that the users received,
  and among them those for a \`u-n\` the same user had already received (across all of its connections),
  summed over every user.
- **refused sends** — every send attempt that did not get \`{ok:true}\`: answered with an error ack (by code), ended
  by its connection dropping (the client library fails the ack at once: the node died), or **unanswered** within
  $((ack_timeout / 1000)) s on a live connection (six times the publish timeout). Only the last is a failure:
  every refused send must be told.
- **presence right again** — one observer connection per node asks \`getOnlineUsers\` every second. Presence is
  right when every node lists every user whose connection is joined to the room and no user who has gone away
  (the listening user of a killed node does not come back: its entry must lapse with the node's lease). Users
  between a dropped connection and their re-join may be listed or not. The figure is the time from the fault's
  start to the first right answer after the last wrong one; "right throughout" when it never was wrong.
- **sends succeed again** — for each user whose sends failed, the time from the fault's start to the first ok
  ack of a send issued after its last failure; the slowest user counts. "no send failed" when none did.
- **longest wait for an answer** — the longest time a send waited for its ack (ok or error), among the sends
  answered after the fault began: how long a stalled backend keeps a user waiting.

## Running it

\`\`\`sh
scripts/chaos/run.sh          # full: about 20 minutes, rewrites this file
scripts/chaos/run.sh --ci     # short: same faults, fewer messages, lease TTL 10 s; what CI runs
scripts/chaos/run.sh --only kafka-stop,embedded-kill
\`\`\`

It needs a JDK 17+, Maven, Node.js 18+ with npm, \`redis-server\`, \`mariadbd\` and \`mariadb-install-db\` (Debian:
\`redis-server\`, \`mariadb-server\`; the suite installs them with apt-get when it runs as root and they are
missing). It builds the reference server when its jar is missing, resolves the broker's jars with Maven as
\`scripts/kafka/start-kafka.sh\` does, and starts private instances only: nodes on ports 3601, 3602 and 3610,
Kafka on 19092/19093, Redis on 16379 and MariaDB on 13306, all under a temporary directory. Whatever happens, it
stops everything it started and ends within its global time bound (${bound} s); logs stay in the temporary
directory when a run fails (\`CHAOS_KEEP=1\` keeps them always).
DOC
}

if [[ "${1:-}" == __fault ]]; then
  work="${CHAOS_WORK:?}"
  fault "$2"
  exit
fi

# ---------------------------------------------------------------------------------------------------------
# Main

ci=false only=""
while (($#)); do
  case "$1" in
    --ci) ci=true ;;
    --only) only="$2"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
  shift
done

# A send must be answered within the publish timeout plus the time the broker takes to refuse; the driver
# waits six times as long before it counts a send as unanswered.
export CHAOS_PUBLISH_TIMEOUT=10
ack_timeout=$((CHAOS_PUBLISH_TIMEOUT * 6000))
if $ci; then
  export CHAOS_LEASE_TTL=10
  rate=15 senders=2 passive=1 window=3 warmup=3000 drain=30000 settle=60000 bound=900
  doc="$root/target/chaos/reliability.md"
else
  export CHAOS_LEASE_TTL=30
  rate=20 senders=3 passive=1 window=4 warmup=10000 drain=60000 settle=120000 bound=1800
  doc="$root/docs/reliability.md"
fi

# What a fresh Debian machine lacks, installed when we may (root with apt-get); said clearly otherwise.
need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v mariadbd >/dev/null && command -v mariadb-install-db >/dev/null || need+=(mariadb-server)
command -v node >/dev/null && command -v npm >/dev/null || need+=(nodejs npm)
command -v curl >/dev/null || need+=(curl)
if ((${#need[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    log "installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    # The packages' own services are not ours; the suite starts private instances.
  else
    die "missing: ${need[*]} (Debian: apt-get install ${need[*]})"
  fi
fi
command -v java >/dev/null && command -v mvn >/dev/null || die "needs a JDK 17+ and Maven on the PATH"
for port in "${CHAOS_NODE_PORTS[@]}" "$CHAOS_EMBEDDED_PORT" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$REDIS_PORT" "$MARIADB_PORT"; do
  if port_open "$port"; then die "port $port is in use; the suite needs it"; fi
done

if [[ ! -f "$jar" ]]; then
  log "building the reference server"
  (cd "$root" && mvn -B -ntp -q -pl examples/reference-server -am package -DskipTests) || die "build failed"
fi
if [[ ! -d "$here/node_modules/socket.io-client" ]]; then
  log "installing the driver's npm packages"
  (cd "$here" && npm install --no-package-lock --no-audit --no-fund --loglevel=error) || die "npm install failed"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/fatechat-chaos.XXXXXX")"
export CHAOS_WORK="$work"
mkdir -p "$work/pids" "$work/logs"
results="$work/results.jsonl"
start_epoch=$SECONDS
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
driver_pid=""

cleanup() {
  local rc=$?
  trap - EXIT
  trap "" INT TERM # a second signal must not cut the clean-up short
  [[ -n "$driver_pid" ]] && kill "$driver_pid" 2>/dev/null || true
  [[ -n "${watchdog_pid:-}" ]] && kill "$watchdog_pid" 2>/dev/null || true
  for f in "$work"/pids/*.pid; do
    [[ -f "$f" ]] || continue
    stop_gracefully "$(basename "$f" .pid)" 10
  done
  if ((rc == 0)) && [[ -z "${CHAOS_KEEP:-}" ]]; then rm -rf "$work"; else log "logs kept in $work/logs"; fi
  exit "$rc"
}
finish() { # writes the table and the doc from whatever ran; exits with the verdict
  local elapsed=$((SECONDS - start_epoch)) verdict load
  load="${load_before} at the start, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') at the end"
  mkdir -p "$(dirname "$doc")"
  set +e
  node "$here/driver.js" report "$results" "$work/table.md"
  verdict=$?
  set -e
  write_doc "$doc" "$work/table.md" "$($ci && echo 'scripts/chaos/run.sh --ci' || echo 'scripts/chaos/run.sh')" "$elapsed" "$load"
  log "table written to $doc (${elapsed} s)"
  if ((verdict != 0)); then log "FAILED: a fault lost, duplicated or left unanswered a message (or did not run)"; exit 1; fi
  log "passed: no acked message lost, no duplicate, every refused send answered"
  exit 0
}
trap cleanup EXIT
on_signal() {
  trap - INT TERM
  log "interrupted; the table holds the faults that ran"
  [[ -n "$driver_pid" ]] && kill "$driver_pid" 2>/dev/null || true
  driver_pid=""
  for f in "${FAULTS[@]}"; do
    if selected "$f" && ! grep -q "\"fault\":\"$f\"" "$results" 2>/dev/null; then
      echo "{\"fault\":\"$f\",\"label\":\"$(label_of "$f")\",\"mode\":\"\",\"error\":\"not run: interrupted or out of time\"}" >> "$results"
    fi
  done
  finish
}
trap on_signal INT TERM
# The global time bound: whatever hangs, the suite ends and cleans up.
# The clean-up kills the watchdog, which then kills its sleep: a sleep left behind would hold the suite's output
# open for up to $bound s after it ended.
(
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep "$bound" &
  sleeper=$!
  wait "$sleeper" && { log "global time bound of $bound s reached"; kill -TERM $$; }
) 2>/dev/null &
watchdog_pid=$!

selected() { [[ -z "$only" ]] || [[ ",$only," == *",$1,"* ]]; }

labels=(
  "node-kill=kill -9 of a chat node, restart"
  "kafka-stop=SIGSTOP of the Kafka broker, 10 s"
  "kafka-kill=kill -9 of the Kafka broker, restart"
  "redis-restart=Redis restart, data lost"
  "redis-stop=SIGSTOP of Redis, 10 s"
  "mariadb-stop=MariaDB stopped for 20 s"
  "embedded-kill=kill -9 of the embedded default (H2), restart"
)
label_of() { local l; for l in "${labels[@]}"; do [[ "${l%%=*}" == "$1" ]] && echo "${l#*=}"; done; }

run_fault() { # fault mode urls-json
  local f="$1" mode="$2" nodes="$3" per_node="$4" recovery
  # At most: long enough for the lease of a dead node's users to lapse, and for the cluster to settle (the
  # driver ends it earlier once the fault's effects are over, never before the lease TTL from the fault's start).
  recovery=$((CHAOS_LEASE_TTL * 1000 + 5000))
  local remaining=$((bound - (SECONDS - start_epoch) - 15))
  ((remaining > 60)) || { log "no time left for $f"; echo "{\"fault\":\"$f\",\"label\":\"$(label_of "$f")\",\"mode\":\"$mode\",\"error\":\"not run: global time bound\"}" >> "$results"; return; }
  cat > "$work/$f.json" <<JSON
{"fault":"$f","label":"$(label_of "$f")","mode":"$mode","runId":"$(date +%s)","nodes":$nodes,
 "sendersPerNode":$per_node,"passivePerNode":$passive,"rate":$rate,"window":$window,"ackTimeoutMs":$ack_timeout,
 "warmupMs":$warmup,"recoveryMs":$recovery,"drainMs":$drain,"settleMs":$settle,"leaseTtlMs":$((CHAOS_LEASE_TTL * 1000)),
 "boundMs":$((remaining * 1000)),"results":"$results","probes":10,
 "faultCommand":"'$here/run.sh' __fault $f"}
JSON
  node "$here/driver.js" run "$work/$f.json" > >(tee -a "$work/logs/driver.log") 2>&1 &
  driver_pid=$!
  if ! wait "$driver_pid" || ! grep -q "\"fault\":\"$f\"" "$results" 2>/dev/null; then
    echo "{\"fault\":\"$f\",\"label\":\"$(label_of "$f")\",\"mode\":\"$mode\",\"error\":\"the driver failed; see driver.log\"}" >> "$results"
  fi
  driver_pid=""
}

log "work directory $work; $($ci && echo CI || echo full) run, lease TTL ${CHAOS_LEASE_TTL} s, load $(cat /proc/loadavg 2>/dev/null | cut -d' ' -f1-3)"
distributed=false
for f in "${FAULTS[@]:0:6}"; do selected "$f" && distributed=true; done
if $distributed; then
  log "starting Redis :$REDIS_PORT, MariaDB :$MARIADB_PORT, Kafka :$KAFKA_PORT"
  start_redis || die "Redis did not start"
  start_mariadb || die "MariaDB did not start"
  mysql --no-defaults --socket="$work/mariadb/mysqld.sock" -uroot -e 'CREATE DATABASE fatechat' || die "cannot create the database"
  start_kafka || die "Kafka did not start"
  log "starting nodes a :${CHAOS_NODE_PORTS[0]} and b :${CHAOS_NODE_PORTS[1]}"
  # Side by side: start-up is most of the suite's fixed cost on a busy machine.
  start_node a "${CHAOS_NODE_PORTS[0]}" & starting_a=$!
  start_node b "${CHAOS_NODE_PORTS[1]}" || die "node b did not start; see $work/logs/node-b.log"
  wait "$starting_a" || die "node a did not start; see $work/logs/node-a.log"
  nodes="[{\"id\":\"a\",\"url\":\"http://127.0.0.1:${CHAOS_NODE_PORTS[0]}\"},{\"id\":\"b\",\"url\":\"http://127.0.0.1:${CHAOS_NODE_PORTS[1]}\"}]"
  for f in "${FAULTS[@]:0:6}"; do
    selected "$f" || continue
    run_fault "$f" "2 nodes, Kafka + Redis + MariaDB" "$nodes" "$senders"
  done
  # The embedded default needs none of the cluster: it starts while the cluster stops (the nodes first, side by
  # side, then the services they used, side by side).
  if selected embedded-kill; then
    log "starting the embedded default on :$CHAOS_EMBEDDED_PORT"
    start_node e "$CHAOS_EMBEDDED_PORT" embedded & starting_e=$!
  fi
  log "stopping the distributed cluster"
  for group in "node-a node-b" "kafka redis mariadb"; do
    stopping=()
    for p in $group; do stop_gracefully "$p" 15 & stopping+=($!); done
    wait "${stopping[@]}"
    for p in $group; do rm -f "$work/pids/$p.pid"; done
  done
fi
if selected embedded-kill; then
  if [[ -n "${starting_e:-}" ]]; then
    wait "$starting_e" || die "the embedded server did not start; see $work/logs/node-e.log"
  else
    log "starting the embedded default on :$CHAOS_EMBEDDED_PORT"
    start_node e "$CHAOS_EMBEDDED_PORT" embedded || die "the embedded server did not start; see $work/logs/node-e.log"
  fi
  # The same total load as on two nodes.
  run_fault embedded-kill "1 node, embedded default" "[{\"id\":\"e\",\"url\":\"http://127.0.0.1:$CHAOS_EMBEDDED_PORT\"}]" $((senders * 2))
fi

finish
