#!/usr/bin/env bash
# bench/jmh.sh [JMH ARGS...]
#
# Builds moq-bench (JMH micro-benchmarks of the codecs and the fan-out path) and runs
# moq-bench/target/benchmarks.jar with the given JMH arguments, e.g.
#   bench/jmh.sh ModelFanout -p subscribers=200      # one benchmark class, one parameter value
#   bench/jmh.sh -l                                  # list the benchmarks
#   bench/jmh.sh -h                                  # JMH's own help
# Quick settings unless the arguments set them: 1 fork, 3 x 1 s warm-up, 5 x 1 s measured
# (-f 1 -wi 3 -i 5 -w 1s -r 1s); without a benchmark pattern, every benchmark runs.
# Add `-prof gc` for allocations per operation. MOQ_BENCH_NO_BUILD=1 skips the build.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
. scripts/java-home.sh
# Newer JDKs warn about Maven's and JMH's own use of sun.misc.Unsafe; JDK 21 lacks the flag.
java_opts=()
if [ "$(moq_java_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then java_opts+=(--sun-misc-unsafe-memory-access=allow); fi
if [ -z "${MAVEN_OPTS:-}" ]; then
  export MAVEN_OPTS="--enable-native-access=ALL-UNNAMED ${java_opts[*]:-}"
fi
if [ -z "${MOQ_BENCH_NO_BUILD:-}" ]; then
  echo "# building moq-bench ..." >&2
  ./mvnw -q -B -ntp -pl moq-bench -am package -DskipTests
fi
defaults=()
for opt in "-f 1" "-wi 3" "-i 5" "-w 1s" "-r 1s"; do
  flag=${opt%% *} given=""
  for a in "$@"; do [ "$a" = "$flag" ] && given=1; done
  [ -z "$given" ] && defaults+=($opt)
done
echo "# $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" >&2
echo "# loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
status=0
"$JAVA_HOME/bin/java" ${java_opts[@]+"${java_opts[@]}"} -jar moq-bench/target/benchmarks.jar ${defaults[@]+"${defaults[@]}"} "$@" || status=$?
echo "# loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exit $status
