#!/usr/bin/env bash
# Stops the broker started by start-kafka.sh (SIGTERM, so it shuts down cleanly; SIGKILL after 30 s).
# Its data stays in place for the next start; delete scripts/kafka/target/data to start empty.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="${FATECHAT_KAFKA_DATA:-$here/target/data}"
pid_file="$data/kafka.pid"

if [[ ! -f "$pid_file" ]]; then
  echo "Kafka is not running (no $pid_file)"
  exit 0
fi
pid="$(cat "$pid_file")"
if ! kill -0 "$pid" 2>/dev/null; then
  echo "Kafka is not running (stale pid $pid)"
  rm -f "$pid_file"
  exit 0
fi

kill -TERM "$pid"
for _ in $(seq 1 30); do
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$pid_file"
    echo "Kafka stopped"
    exit 0
  fi
  sleep 1
done
echo "Kafka did not stop within 30 s; killing pid $pid" >&2
kill -KILL "$pid" 2>/dev/null || true
rm -f "$pid_file"
