#!/usr/bin/env bash
# Starts one local Kafka broker (KRaft, broker and controller in one process) for running Fatechat nodes by
# hand. The jars come from Maven (kafka_2.13 at the version the build pins); no Docker, no archive download.
#
#   scripts/kafka/start-kafka.sh        # broker on localhost:9092, data under scripts/kafka/target/data
#   scripts/kafka/stop-kafka.sh
#
# Environment: FATECHAT_KAFKA_PORT (9092), FATECHAT_KAFKA_CONTROLLER_PORT (9093),
#              FATECHAT_KAFKA_DATA (scripts/kafka/target/data), JAVA (java), KAFKA_HEAP (512m).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${FATECHAT_KAFKA_PORT:-9092}"
controller_port="${FATECHAT_KAFKA_CONTROLLER_PORT:-9093}"
data="${FATECHAT_KAFKA_DATA:-$here/target/data}"
lib="$here/target/lib"
java="${JAVA:-java}"
pid_file="$data/kafka.pid"
log_file="$data/kafka.log"

if [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
  echo "Kafka is already running (pid $(cat "$pid_file")) on localhost:$port"
  exit 0
fi

if ! compgen -G "$lib/kafka_2.13-*.jar" > /dev/null; then
  echo "Resolving the Kafka broker jars with Maven into $lib ..."
  mvn -q -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$lib"
fi

mkdir -p "$data"
config="$data/server.properties"
cat > "$config" <<PROPERTIES
# Written by start-kafka.sh: a single combined broker and controller for local development.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$controller_port
listeners=PLAINTEXT://localhost:$port,CONTROLLER://localhost:$controller_port
advertised.listeners=PLAINTEXT://localhost:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data/kraft-logs
num.partitions=6
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPERTIES

classpath="$lib/*"
if [[ ! -f "$data/kraft-logs/meta.properties" ]]; then
  cluster_id="$("$java" -cp "$classpath" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  echo "Formatting $data/kraft-logs (cluster $cluster_id)"
  "$java" -cp "$classpath" kafka.tools.StorageTool format -t "$cluster_id" -c "$config" >> "$log_file" 2>&1
fi

echo "Starting Kafka on localhost:$port (log: $log_file)"
nohup "$java" "-Xmx${KAFKA_HEAP:-512m}" -Dorg.slf4j.simpleLogger.defaultLogLevel=info \
  -Dorg.slf4j.simpleLogger.showDateTime=true "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS" -cp "$classpath" kafka.Kafka "$config" >> "$log_file" 2>&1 &
echo $! > "$pid_file"

for _ in $(seq 1 60); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Kafka is up on localhost:$port (pid $(cat "$pid_file"))"
    exit 0
  fi
  if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    echo "Kafka exited during start-up; the end of $log_file:" >&2
    tail -n 30 "$log_file" >&2
    rm -f "$pid_file"
    exit 1
  fi
  sleep 1
done
echo "Kafka did not open port $port within 60 s; see $log_file" >&2
exit 1
