#!/usr/bin/env bash
# Builds the published modules twice, each time from a fresh copy of the sources in its own directory, and checks
# that every jar (classes, sources, javadoc) and every flattened POM is byte for byte the same. What makes this
# hold: project.build.outputTimestamp in the root pom.xml (no build time in any archive) and the plugins' own
# reproducibility (checked first with maven-artifact-plugin's check-buildplan).
#
#   scripts/build/check-reproducible.sh            # the published modules, with -Prelease (about 3 minutes)
#   KEEP=1 scripts/build/check-reproducible.sh     # keep the two build directories to diff them
#
# Builds with `package` only: nothing is installed into ~/.m2. Exit status 0 when both builds agree.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
modules="chat-bom,chat-spi,chat-core,chat-tck,chat-kafka,chat-redis,chat-mysql,chat-socketio,chat-jakarta-ws,chat-spring-boot-starter"
# Modules added later (e.g. chat-socketio) join the list when they exist.
for extra in chat-socketio; do
  if [[ -f "$root/$extra/pom.xml" ]]; then modules="$modules,$extra"; fi
done
# -am: the test-scope module chat-test-support is resolved from the reactor, never from ~/.m2
mvn_args=(-B -ntp -q -Prelease -DskipTests -Dgpg.skip -pl "$modules" -am)

work="$(mktemp -d "${TMPDIR:-/tmp}/fatechat-repro.XXXXXX")"
cleanup() { if [[ -z "${KEEP:-}" ]]; then rm -rf "$work"; else echo "kept $work"; fi; }
trap cleanup EXIT

copy_sources() {
  mkdir -p "$1"
  # tracked and new (not ignored) files only: no target/, node_modules/ or IDE files
  (cd "$root" && git ls-files -z --cached --others --exclude-standard) \
    | (cd "$root" && rsync -a --from0 --files-from=- ./ "$1/")
}

echo "== plugins: maven-artifact-plugin:check-buildplan"
(cd "$root" && mvn -B -ntp -q -Prelease -pl "$modules" -am artifact:check-buildplan)

for run in a b; do
  echo "== build $run"
  copy_sources "$work/$run"
  (cd "$work/$run" && mvn "${mvn_args[@]}" package)
done

echo "== compare"
checksums() {
  (cd "$1" && find . -path '*/target/*.jar' -o -name '.flattened-pom.xml' | sort | xargs sha256sum)
}
checksums "$work/a" > "$work/a.sha256"
checksums "$work/b" > "$work/b.sha256"
count=$(wc -l < "$work/a.sha256")
if [[ "$count" -eq 0 ]]; then
  echo "no artifacts were built" >&2
  exit 1
fi
if ! diff -u "$work/a.sha256" "$work/b.sha256"; then
  echo "NOT reproducible: the files above differ between two builds of the same sources" >&2
  exit 1
fi
echo "reproducible: $count files identical in two builds"
