#!/usr/bin/env bash
# Runs the Socket.IO project's own protocol test suites against examples/socketio-conformance.
#
# The suites are NOT part of this repository. They live in the socketio/socket.io repository, in
#   docs/engine.io-protocol/v4-test-suite   and   docs/socket.io-protocol/v5-test-suite
# (use these copies: the older ones in the separate protocol repositories have a client-side race).
# Get them with e.g.  git clone --depth 1 <socket.io repository> /tmp/socket.io
# or  git archive HEAD docs/engine.io-protocol/v4-test-suite docs/socket.io-protocol/v5-test-suite | tar -x -C DIR
#
# Usage: scripts/conformance/run-suites.sh SUITES_DIR [RUNS]
#   SUITES_DIR  a directory containing docs/engine.io-protocol/v4-test-suite and docs/socket.io-protocol/v5-test-suite
#   RUNS        how many times to run both suites in a row (default 5); every run must pass
#
# Needs: JDK 17+, Maven, Node.js 18+ with npm, and port 3000 free. Downloads nothing but the suites' npm
# dependencies (mocha, chai, ws, node-fetch), installed into a scratch copy under ${TMPDIR:-/tmp}.
set -euo pipefail

SUITES=${1:?usage: $0 SUITES_DIR [RUNS]}
RUNS=${2:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${TMPDIR:-/tmp}/fatechat-conformance
EIO_SRC="$SUITES/docs/engine.io-protocol/v4-test-suite"
SIO_SRC="$SUITES/docs/socket.io-protocol/v5-test-suite"
[ -f "$EIO_SRC/test-suite.js" ] || { echo "no Engine.IO v4 suite at $EIO_SRC" >&2; exit 2; }
[ -f "$SIO_SRC/test-suite.js" ] || { echo "no Socket.IO v5 suite at $SIO_SRC" >&2; exit 2; }

# scratch copies, so node_modules never land next to the sources
mkdir -p "$WORK"
for suite in eio:"$EIO_SRC" sio:"$SIO_SRC"; do
  name=${suite%%:*}; src=${suite#*:}
  mkdir -p "$WORK/$name"
  cp "$src"/*.js "$src"/package.json "$WORK/$name/"
  if [ ! -d "$WORK/$name/node_modules/mocha" ]; then
    (cd "$WORK/$name" && npm install --no-package-lock --no-audit --no-fund --silent)
  fi
done

echo "== building examples/socketio-conformance"
(cd "$ROOT" && mvn -q -pl examples/socketio-conformance -am install -DskipTests)
(cd "$ROOT" && mvn -q -pl examples/socketio-conformance dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt")
CP="$ROOT/examples/socketio-conformance/target/classes:$(cat "$WORK/classpath.txt")"

if curl -s -o /dev/null "http://localhost:3000/"; then
  echo "port 3000 is already in use" >&2; exit 2
fi
java -cp "$CP" io.fatechat.examples.conformance.ConformanceServer >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if curl -s -o /dev/null "http://localhost:3000/socket.io/?EIO=4&transport=polling"; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.2
done

passed=0
for run in $(seq 1 "$RUNS"); do
  echo "== run $run/$RUNS: Engine.IO v4 suite"
  (cd "$WORK/eio" && npx mocha --reporter dot test-suite.js)
  echo "== run $run/$RUNS: Socket.IO v5 suite"
  (cd "$WORK/sio" && npx mocha --reporter dot test-suite.js)
  passed=$((passed + 1))
done
echo "== both suites passed $passed/$RUNS runs in a row (server log: $WORK/server.log)"
