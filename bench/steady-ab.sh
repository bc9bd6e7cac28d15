#!/usr/bin/env bash
# bench/steady-ab.sh [PAIRS]
#
# A/B of two relay set-ups on the fan-out workload of bench/fanout-vs-quinn.sh (1 publisher,
# SUBSCRIBERS subscribers, RATE_KBPS kB/s each as a chunk every 20 ms, all over raw QUIC), judged
# at steady state: for each of PAIRS pairs (3) it runs A, then B, each with a fresh relay and a
# fresh `moq load`, waits STEADY_AFTER seconds, then samples over 10 s the relay's CPU time (the
# process and its busiest threads) and its context switches. Alternating cancels the box's drift;
# a one-off `fanout-vs-quinn.sh` run moves by about 15 %, so a smaller change needs this.
#
# Environment (each side X = A or B): X_JAVA_OPTS (relay JVM options), X_ARGS (relay flags),
# X_JAR (relay jar; default the project's, built if missing); SUBSCRIBERS (200), RATE_KBPS (250),
# STEADY_AFTER (25), PORT (4491). The load tool always runs from the project's jar.
# Prints one line per run and the mean of each side. The box should be otherwise idle.
set -euo pipefail
PAIRS=${1:-3}
SUBS=${SUBSCRIBERS:-200} RATE=${RATE_KBPS:-250} STEADY=${STEADY_AFTER:-25} PORT=${PORT:-4491}
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/bench/lib.sh"
. "$root/scripts/java-home.sh"
. "$root/scripts/ensure-jar.sh"
moq_ensure_jar "$root" >&2
work=$(mktemp -d "${TMPDIR:-/tmp}/steady-ab.XXXXXX")
pids=()
cleanup() { bench_stop_pids; rm -rf "$work"; }
trap cleanup EXIT
JAVA=(java --enable-native-access=ALL-UNNAMED)

# "tid:name ticks switches" for every thread of pid $1.
threads() {
  local t
  for t in /proc/"$1"/task/*; do
    local stat; stat=$(cat "$t/stat"); stat=${stat##*) } # the name may hold spaces ("GC Thread#0")
    # shellcheck disable=SC2086 # split into fields on purpose
    set -- $stat
    printf '%s:%s %s %s\n' "${t##*/}" "$(tr ' ' _ <"$t/comm")" \
      "$(( ${12} + ${13} ))" "$(awk '/ctxt_switches/ {s += $2} END {print s}' "$t/status")"
  done | sort
}

# Runs in a subshell (`< <(run_one ...)`): it stops its own processes, timeout bounds them too.
run_one() { # $1 = A|B; prints "ticks switches top-threads"
  local side=$1 opts args jar relay load
  opts=$(eval echo "\${${side}_JAVA_OPTS:-}") args=$(eval echo "\${${side}_ARGS:-}") jar=$(eval echo "\${${side}_JAR:-$MOQ_JAR}")
  bench_require_free_udp "$PORT" PORT
  # shellcheck disable=SC2086 # options are word lists
  timeout $(( STEADY + 200 )) "${JAVA[@]}" $opts -jar "$jar" --server-bind "127.0.0.1:$PORT" --tls-generate localhost --auth-public "" \
    --log-level warn --server-quic-congestion-control loss $args >"$work/relay-$side.log" 2>&1 &
  relay=$!; pids+=("$relay")
  bench_await_udp "$relay" "$PORT" "$work/relay-$side.log"
  timeout $(( STEADY + 200 )) "${JAVA[@]}" -cp "$MOQ_JAR" org.moqrelay.cli.ClientCommand load "moqt://127.0.0.1:$PORT/anon" \
    --publishers 1 --subscribers "$SUBS" --tracks 1 --rate-kbps "$RATE" --frame-interval-ms 20 --group-frames 50 \
    --seconds $(( STEADY + 15 )) --warmup-seconds 1 --tls-disable-verify --client-threads 2 >"$work/load.out" 2>"$work/load.err" &
  load=$!; pids+=("$load")
  sleep "$STEADY"
  kill -0 "$relay" 2>/dev/null || { echo "the relay exited early:" >&2; cat "$work/relay-$side.log" >&2; kill "$load" 2>/dev/null; exit 1; }
  local jvm; jvm=$(pgrep -P "$relay" | head -n 1) # the relay itself, under timeout
  threads "$jvm" >"$work/t0"
  sleep 10
  threads "$jvm" >"$work/t1"
  wait "$load" || { echo "moq load failed:" >&2; cat "$work/load.err" >&2; kill "$relay" 2>/dev/null; exit 1; }
  kill "$relay"; wait "$relay" 2>/dev/null || true
  join "$work/t0" "$work/t1" | awk '
    { dt = $4 - $2; ds = $5 - $3; ticks += dt; sw += ds; if (dt > 0) top[$1] = dt }
    END {
      n = 0; for (t in top) names[++n] = t
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (top[names[j]] > top[names[i]]) { x = names[i]; names[i] = names[j]; names[j] = x }
      line = ticks * 10 " " sw; for (i = 1; i <= n && i <= 3; i++) { v = top[names[i]] * 10; sub(/^[0-9]+:/, "", names[i]); line = line " " names[i] "=" v }
      print line
    }'
  grep -E '^(loss_pct|latency_p99_ms)=' "$work/load.out" | tr '\n' ' '
}

echo "steady-ab: $PAIRS pairs, $SUBS x $RATE kB/s, 10 s sampled after ${STEADY} s, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
echo "A: opts[${A_JAVA_OPTS:-}] args[${A_ARGS:-}] jar[${A_JAR:-project}]"
echo "B: opts[${B_JAVA_OPTS:-}] args[${B_ARGS:-}] jar[${B_JAR:-project}]"
sum_a=0 sum_b=0
for i in $(seq 1 "$PAIRS"); do
  for side in A B; do
    read -r ms sw rest < <(run_one "$side" | tr '\n' ' '; echo)
    echo "$side run $i: relay_cpu_ms=$ms switches=$sw $rest"
    if [ "$side" = A ]; then sum_a=$(( sum_a + ms )); else sum_b=$(( sum_b + ms )); fi
  done
done
echo "mean relay_cpu_ms per 10 s: A=$(( sum_a / PAIRS )) B=$(( sum_b / PAIRS ))"
