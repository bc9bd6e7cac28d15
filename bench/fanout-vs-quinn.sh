#!/usr/bin/env bash
# bench/fanout-vs-quinn.sh SUBSCRIBERS RATE_KBPS SECONDS
#
# One run, same workload, same machine, everything on 127.0.0.1: one publisher, SUBSCRIBERS
# subscribers, each receiving RATE_KBPS kilobytes (1000 B) per second as one chunk every 20 ms.
#   1. builds quinn-fanout (raw quinn 0.9, no MoQ: the floor) and runs its server + client;
#   2. builds this relay, runs it and `moq load` against it (moq-lite over raw QUIC, groups of 50 frames);
# prints each side's server CPU per delivered byte (user+system time from /proc/<pid>/stat over the
# measured window, divided by the bytes delivered in it), latency and RSS, and ends with
#   ratio R      (R = relay CPU per delivered byte / quinn-fanout CPU per delivered byte)
#
# Both sides measure a steady state: quinn-fanout from its first 5-s report (connections up), the
# relay after WARMUP_SECONDS of traffic once every subscriber receives (the JIT compiles the hot
# path in the first seconds; quinn-fanout is ahead-of-time compiled). Both use CUBIC (quinn 0.9's
# default): the relay runs with --server-quic-congestion-control loss unless RELAY_CC=delay (BBR,
# the relay's default). The relay's own share of the latency (moq_relay_forward_delay_seconds, read
# from its internal /metrics) is printed next to the end-to-end figure.
#
# Environment: QUINN_FANOUT_SRC (default /work/shared/bench/quinn-fanout; copied, never built in place),
# QUINN_PORT (4470), RELAY_PORT (4471), RELAY_METRICS_PORT (4472), MOQ_JAVA_OPTS (relay JVM options),
# LOAD_CLIENT_THREADS (2), WARMUP_SECONDS (10), RELAY_CC (loss), RELAY_ARGS (extra relay flags).
# Bounded: every process gets a time limit and is killed by pid on exit.
set -euo pipefail
if [ $# -ne 3 ]; then echo "usage: $0 SUBSCRIBERS RATE_KBPS SECONDS" >&2; exit 64; fi
SUBS=$1 RATE=$2 SECS=$3
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
QSRC=${QUINN_FANOUT_SRC:-/work/shared/bench/quinn-fanout}
QPORT=${QUINN_PORT:-4470}
RPORT=${RELAY_PORT:-4471}
MPORT=${RELAY_METRICS_PORT:-4472}
WARMUP=${WARMUP_SECONDS:-10}
RELAY_CC=${RELAY_CC:-loss}
work=$(mktemp -d "${TMPDIR:-/tmp}/fanout-vs-quinn.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
log() { echo "# $*" >&2; }
. "$root/bench/lib.sh"
now() { date +%s.%N; }
bench_require_free_udp "$QPORT" QUINN_PORT
bench_require_free_udp "$RPORT" RELAY_PORT
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(uname -r)"
echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the box skews every figure)"
echo "workload: 1 publisher, $SUBS subscribers, $RATE kB/s each as a chunk every 20 ms, ${SECS} s window"
echo "relay: congestion control $RELAY_CC, ${WARMUP} s warm-up${RELAY_ARGS:+, flags: $RELAY_ARGS}"

# ---------------------------------------------------------------- builds
log "building quinn-fanout (offline, Debian crates) ..."
bench_build_quinn "$QSRC" "$work"
log "building the relay jar ..."
. "$root/scripts/java-home.sh"
. "$root/scripts/ensure-jar.sh"
moq_ensure_jar "$root" >&2
cp "$MOQ_JAR" "$work/moq-relay.jar"
JAVA=(java --enable-native-access=ALL-UNNAMED)

# ---------------------------------------------------------------- quinn-fanout
# The client reports cumulative rx every 5 s from when all connections are up: the window runs
# from its 1st report to its (1 + n)th, n = ceil(SECS / 5); the server's CPU is sampled at both.
n=$(( (SECS + 4) / 5 ))
csecs=$(( 5 * (n + 1) ))
"$QBIN" fanout-server "$QPORT" "$RATE" $(( csecs + 120 )) >"$work/quinn-server.log" 2>&1 &
qs=$!; pids+=("$qs")
sleep 0.5
timeout $(( csecs + 120 )) "$QBIN" fanout-client "$QPORT" "$SUBS" "$csecs" >"$work/quinn-client.log" 2>&1 &
qc=$!; pids+=("$qc")
wait_report() { # $1 = report number; echoes "elapsed total_MB" when it appears
  local k=$1 line deadline=$(( $(date +%s) + csecs + 120 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    line=$(grep '^\[quinn fanout-client rx\]' "$work/quinn-client.log" | sed -n "${k}p" || true)
    if [ -n "$line" ]; then
      echo "$line" | sed -E 's/^[^]]*\] ([0-9.]+)s: .* total ([0-9.]+) MB.*/\1 \2/'; return 0
    fi
    kill -0 "$qc" 2>/dev/null || { echo "quinn-fanout client exited early" >&2; cat "$work/quinn-client.log" >&2; return 1; }
    sleep 0.01
  done
  return 1
}
read -r qt0 qb0 < <(wait_report 1); qc0=$(bench_cpu_ms "$qs")
read -r qt1 qb1 < <(wait_report $(( n + 1 ))); qc1=$(bench_cpu_ms "$qs"); qrss=$(bench_rss_kb "$qs")
wait "$qc" || true
kill "$qs" 2>/dev/null || true; wait "$qs" 2>/dev/null || true
grep -E 'connections up' "$work/quinn-client.log" | sed 's/^/  quinn-client: /'
grep -E '^\[quinn fanout-server\]' "$work/quinn-server.log" | tail -n 3 | sed 's/^/  quinn-server: /'
qdropped=$(grep -E '^\[quinn fanout-server\]' "$work/quinn-server.log" | tail -n 1 | sed -E 's/.*dropped=([0-9]+).*/\1/')
read -r q_win q_mbps q_cpu q_ns < <(awk -v t0="$qt0" -v t1="$qt1" -v b0="$qb0" -v b1="$qb1" -v c0="$qc0" -v c1="$qc1" 'BEGIN {
  w = t1 - t0; b = (b1 - b0) * 1e6; c = (c1 - c0) / 1000;
  printf "%.2f %.2f %.2f %.3f\n", w, b / w / 1e6, 100 * c / w, (b > 0 ? c * 1e9 / b : 0) }')
echo "quinn window_s=$q_win delivered_MBps=$q_mbps server_cpu_pct=$q_cpu server_cpu_ns_per_byte=$q_ns server_rss_kb=$qrss dropped_chunks=$qdropped latency=n/a(quinn-fanout does not timestamp)"

# ---------------------------------------------------------------- the relay + moq load
"${JAVA[@]}" ${MOQ_JAVA_OPTS:-} -jar "$work/moq-relay.jar" --server-bind "127.0.0.1:$RPORT" --tls-generate localhost \
  --auth-public "" --log-level warn --internal-listen "127.0.0.1:$MPORT" \
  --server-quic-congestion-control "$RELAY_CC" ${RELAY_ARGS:-} >"$work/relay.log" 2>&1 &
rp=$!; pids+=("$rp")
bench_await_udp "$rp" "$RPORT" "$work/relay.log"
sleep 1
timeout $(( SECS + 180 )) "${JAVA[@]}" -cp "$work/moq-relay.jar" org.moqrelay.cli.ClientCommand load \
  "moqt://127.0.0.1:$RPORT/anon" --publishers 1 --subscribers "$SUBS" --tracks 1 --rate-kbps "$RATE" \
  --frame-interval-ms 20 --group-frames 50 --seconds "$SECS" --relay-pid "$rp" --tls-disable-verify \
  --warmup-seconds "$WARMUP" --relay-metrics "http://127.0.0.1:$MPORT/metrics" \
  --client-threads "${LOAD_CLIENT_THREADS:-2}" >"$work/load.out" 2>"$work/load.err" || true
kill "$rp" 2>/dev/null || true; wait "$rp" 2>/dev/null || true
get() { sed -n "s/^$1=//p" "$work/load.out"; }
if [ -z "$(get relay_cpu_ns_per_byte)" ]; then echo "moq load failed:" >&2; cat "$work/load.err" "$work/load.out" >&2; exit 1; fi
sed 's/^/  load: /' "$work/load.out"
grep -vE '^load: (measuring|[0-9]+/[0-9]+ subscribers connected)' "$work/load.err" | head -n 20 | sed 's/^/  load stderr: /' || true
grep -E 'WARN|ERROR' "$work/relay.log" | head -n 10 | sed 's/^/  relay log: /' || true
echo "relay window_s=$(get window_s) delivered_MBps=$(get delivered_MBps) server_cpu_pct=$(get relay_cpu_pct) server_cpu_ns_per_byte=$(get relay_cpu_ns_per_byte) server_rss_kb=$(get relay_rss_kb) latency_p50_ms=$(get latency_p50_ms) latency_p99_ms=$(get latency_p99_ms) latency_max_ms=$(get latency_max_ms) relay_forward_mean_ms=$(get relay_forward_mean_ms) relay_forward_p99_le_ms=$(get relay_forward_p99_le_ms) loss_pct=$(get loss_pct)"
echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ratio $(awk -v r="$(get relay_cpu_ns_per_byte)" -v q="$q_ns" 'BEGIN { if (q > 0) printf "%.2f\n", r / q; else print "nan" }')"
rm -rf "$work"
