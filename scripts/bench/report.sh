#!/usr/bin/env bash
# Regenerates the side-by-side table (stdout, results.csv, results.md), the latency plots and the results section
# of benchmarks/README.md from the JSON files in benchmarks/results (or the directory given).
#
#   scripts/bench/report.sh [results-dir]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/benchmarks/target/benchmarks.jar"
if [[ ! -f "$jar" ]]; then
  mvn -q -B -ntp -f "$root/pom.xml" -Pbenchmarks -pl benchmarks -am package -DskipTests
fi
exec "${JAVA:-java}" -cp "$jar" io.fatechat.benchmarks.report.ResultsReport "${1:-$root/benchmarks/results}" "$root/benchmarks/README.md"
