#!/usr/bin/env bash
# scripts/fuzz.sh TARGET SECONDS
#
# Runs one Jazzer fuzz test (an @FuzzTest method) in fuzzing mode for SECONDS, e.g.
#   scripts/fuzz.sh LiteCodecFuzzTest 300                 # the class's only @FuzzTest method
#   scripts/fuzz.sh QmuxCodecFuzzTest#decodeAnyMessage 60  # one method of a class with several
#   scripts/fuzz.sh -l                                     # list the fuzz targets
# A plain test run (./test.sh) only replays each target's inputs under
# src/test/resources/<package>/<Class>Inputs/<method>/. Here Jazzer mutates inputs instead: a
# crashing input is written to that directory (commit it with the fix, so the test suite keeps
# replaying it), and inputs that found new code paths go to <module>/.cifuzz-corpus/ (not committed;
# reused by the next run). Exit status 0 = no finding within SECONDS.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

list_targets() { # prints Class#method [module] for every @FuzzTest
  grep -rl --include='*FuzzTest.java' '@FuzzTest' -- */src/test/java | sort | while read -r f; do
    local cls module
    cls=$(basename "$f" .java) module=${f%%/*}
    grep -A1 '@FuzzTest' "$f" | sed -n 's/^ *void \([A-Za-z0-9_]*\)(.*/\1/p' | while read -r m; do
      echo "$cls#$m  [$module]"
    done
  done
}

if [ "${1:-}" = "-l" ] || [ "${1:-}" = "--list" ]; then list_targets; exit 0; fi
if [ $# -ne 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -lt 1 ]; then
  echo "usage: scripts/fuzz.sh TARGET SECONDS   (TARGET = FuzzTestClass or FuzzTestClass#method; -l lists them)" >&2
  exit 2
fi
target="$1" seconds="$2"
cls=${target%%#*} method=""
[[ "$target" == *#* ]] && method=${target#*#}

matches=$(list_targets | grep -E "^${cls}#${method:-[A-Za-z0-9_]+} " || true)
if [ -z "$matches" ]; then
  echo "scripts/fuzz.sh: no fuzz target '$target'; the targets are:" >&2
  list_targets >&2
  exit 2
fi
if [ "$(echo "$matches" | wc -l)" -gt 1 ]; then
  echo "scripts/fuzz.sh: '$target' has several fuzz methods; name one (Jazzer fuzzes one per run):" >&2
  echo "$matches" >&2
  exit 2
fi
read -r test module <<<"$(echo "$matches" | sed 's/  \[\(.*\)\]$/ \1/')"

. scripts/java-home.sh
# Newer JDKs warn about Maven's own use of sun.misc.Unsafe; JDK 21 lacks the flag.
if [ -z "${MAVEN_OPTS:-}" ]; then
  MAVEN_OPTS="--enable-native-access=ALL-UNNAMED"
  if [ "$(moq_java_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then MAVEN_OPTS+=" --sun-misc-unsafe-memory-access=allow"; fi
  export MAVEN_OPTS
fi
echo "# fuzzing $test in $module for ${seconds}s (JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1))" >&2
# JAZZER_FUZZ=1 switches @FuzzTest from replaying to fuzzing. jazzer.hooks=true turns the coverage
# instrumentation back on (the modules' junit-platform.properties turn it off to keep replays fast).
# The upstream modules are built (-am) but run no test: the -Dtest pattern names only this one.
JAZZER_FUZZ=1 exec ./mvnw -B -ntp -pl "$module" -am test \
  -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.max_duration="${seconds}s" -Djazzer.hooks=true -Dmoq.it.js.skip=true
