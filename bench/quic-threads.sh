#!/usr/bin/env bash
# bench/quic-threads.sh SUBSCRIBERS RATE_KBPS SECONDS [ROUNDS]
#
# How the relay scales with its event-loop threads (--server-quic-threads, one UDP socket each):
# for each round, a fresh relay with 1 thread, then a fresh relay with 2 threads, each under the
# same `moq load` workload (1 publisher, SUBSCRIBERS subscribers of one track, RATE_KBPS kilobytes
# (1000 B) per second each as a frame every 20 ms, groups of 50 frames) over raw QUIC on 127.0.0.1.
# Rounds alternate the two settings so that a change in the box's other load hits both alike.
#
# One line per run: delivered throughput, loss, end-to-end latency (publisher client -> relay ->
# subscriber client, both clients in the load tool's JVM), the relay's own forward delay (from its
# /metrics), the relay's and the load tool's CPU over the measured window, the CPU each relay
# event-loop thread used over the whole run (connect and warm-up included: it shows how the
# sessions spread over the loops), the whole machine's busy share over the window, what other
# processes used in it (busy share x cores - relay - load tool, in % of one core), and loadavg.
#
# Environment: RELAY_PORT (4493), RELAY_METRICS_PORT (4494), WARMUP_SECONDS (5),
# LOAD_CLIENT_THREADS (2), MOQ_JAVA_OPTS (relay JVM options), RELAY_ARGS (extra relay flags),
# THREADS ("1 2": the settings compared in each round). Every process is bounded and killed by pid.
set -euo pipefail
if [ $# -lt 3 ] || [ $# -gt 4 ]; then echo "usage: $0 SUBSCRIBERS RATE_KBPS SECONDS [ROUNDS]" >&2; exit 64; fi
SUBS=$1 RATE=$2 SECS=$3 ROUNDS=${4:-1}
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
RPORT=${RELAY_PORT:-4493}
MPORT=${RELAY_METRICS_PORT:-4494}
WARMUP=${WARMUP_SECONDS:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/quic-threads.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
busy_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
loop_cpu() { # "name=cpu_s ..." for each moq-loop thread of pid $1 (USER_HZ = 100)
  local t s out=""
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in moq-loop-*) ;; *) continue ;; esac
    s=$(cat "$t/stat"); s=${s##*) }; set -- $s
    out+="$(cat "$t/comm" | sed 's/^moq-loop-[0-9]*-/loop/')=$(awk -v j=$(( ${12} + ${13} )) 'BEGIN { printf "%.1f", j / 100 }')s "
  done
  echo "${out% }"
}
. "$root/bench/lib.sh"
bench_require_free_udp "$RPORT" RELAY_PORT

. "$root/scripts/java-home.sh"
. "$root/scripts/ensure-jar.sh"
moq_ensure_jar "$root" >&2
cp "$MOQ_JAR" "$work/moq-relay.jar"
JAVA=(java --enable-native-access=ALL-UNNAMED)
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(uname -r)"
echo "workload: 1 publisher, $SUBS subscribers, $RATE kB/s each as a frame every 20 ms, ${WARMUP} s warm-up, ${SECS} s window"

for round in $(seq 1 "$ROUNDS"); do
  for threads in ${THREADS:-1 2}; do
    "${JAVA[@]}" ${MOQ_JAVA_OPTS:-} -jar "$work/moq-relay.jar" --server-bind "127.0.0.1:$RPORT" --tls-generate localhost \
      --auth-public "" --log-level warn --internal-listen "127.0.0.1:$MPORT" --server-quic-threads "$threads" \
      ${RELAY_ARGS:-} >"$work/relay.log" 2>&1 &
    rp=$!; pids+=("$rp")
    bench_await_udp "$rp" "$RPORT" "$work/relay.log"
    sleep 1
    load0=$(cut -d' ' -f1 /proc/loadavg)
    timeout $(( WARMUP + SECS + 180 )) "${JAVA[@]}" -cp "$work/moq-relay.jar" org.moqrelay.cli.ClientCommand load \
      "moqt://127.0.0.1:$RPORT/anon" --publishers 1 --subscribers "$SUBS" --tracks 1 --rate-kbps "$RATE" \
      --frame-interval-ms 20 --group-frames 50 --seconds "$SECS" --warmup-seconds "$WARMUP" --relay-pid "$rp" \
      --tls-disable-verify --relay-metrics "http://127.0.0.1:$MPORT/metrics" \
      --client-threads "${LOAD_CLIENT_THREADS:-2}" >"$work/load.out" 2>"$work/load.err" &
    lp=$!; pids+=("$lp")
    # The machine's busy share over the measured window (the tool prints "measuring" when it starts).
    for _ in $(seq 1 $(( (WARMUP + 180) * 20 ))); do
      grep -q 'measuring' "$work/load.err" 2>/dev/null && break
      kill -0 "$lp" 2>/dev/null || break
      sleep 0.05
    done
    read -r b0 t0 < <(busy_jiffies)
    sleep "$SECS"
    read -r b1 t1 < <(busy_jiffies)
    wait "$lp" || true
    loops=$(loop_cpu "$rp")
    load1=$(cut -d' ' -f1 /proc/loadavg)
    kill "$rp" 2>/dev/null || true; wait "$rp" 2>/dev/null || true
    get() { sed -n "s/^$1=//p" "$work/load.out"; }
    busy=$(awk -v b="$(( b1 - b0 ))" -v t="$(( t1 - t0 ))" 'BEGIN { printf "%.0f", (t > 0 ? 100 * b / t : 0) }')
    if [ -z "$(get delivered_MBps)" ]; then echo "moq load failed:" >&2; cat "$work/load.err" "$work/load.out" >&2; exit 1; fi
    echo "round=$round threads=$threads delivered_MBps=$(get delivered_MBps) loss_pct=$(get loss_pct)" \
      "latency_p50_ms=$(get latency_p50_ms) latency_p99_ms=$(get latency_p99_ms) latency_max_ms=$(get latency_max_ms)" \
      "relay_forward_mean_ms=$(get relay_forward_mean_ms) relay_forward_p99_le_ms=$(get relay_forward_p99_le_ms)" \
      "relay_cpu_pct=$(get relay_cpu_pct) tool_cpu_pct=$(get tool_cpu_pct)" \
      "machine_busy_pct=$busy others_cpu_pct=$(awk -v b="$busy" -v n="$(nproc)" -v r="$(get relay_cpu_pct)" -v l="$(get tool_cpu_pct)" \
        'BEGIN { o = b * n - r - l; printf "%.0f", (o < 0 ? 0 : o) }')" \
      "loop_cpu=[$loops] subscribers_connected=$(get subscribers_connected) loadavg=$load0->$load1"
  done
done
