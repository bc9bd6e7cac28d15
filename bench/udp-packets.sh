#!/usr/bin/env bash
# bench/udp-packets.sh quinn|relay [SUBSCRIBERS] [RATE_KBPS]
#
# Counts the UDP sends each way on 127.0.0.1 for 10 s of steady state of the fan-out workload of
# bench/fanout-vs-quinn.sh (1 publisher, SUBSCRIBERS subscribers (200), RATE_KBPS kB/s (250) each
# as a chunk every 20 ms), for quinn-fanout or for this relay under `moq load`, and the server's
# CPU time over the same 10 s. It shows how many kernel sends (socket buffers; a GSO send is one)
# carry the bytes, how many ACK packets come back, how many datagrams the receivers take in (one
# per GRO burst) and whether a receive buffer overflowed: the per-packet costs behind CPU per byte.
#
# Needs root and iptables: two counting rules (no target, nothing is dropped) are added to OUTPUT
# for the server's port and removed on exit. The box should be otherwise idle.
#
# Environment: QUINN_FANOUT_SRC (/work/shared/bench/quinn-fanout), MOQ_JAVA_OPTS and RELAY_ARGS
# (relay JVM options and flags), STEADY_AFTER (seconds of traffic before counting: 12 for quinn,
# 30 for the relay, past JIT compilation).
set -euo pipefail
side=${1:-}
SUBS=${2:-200} RATE=${3:-250}
case "$side" in quinn) PORT=4470 ;; relay) PORT=4471 ;; *) echo "usage: $0 quinn|relay [SUBSCRIBERS] [RATE_KBPS]" >&2; exit 64 ;; esac
[ "$(id -u)" = 0 ] && command -v iptables >/dev/null || { echo "$0 needs root and iptables (packet counters)" >&2; exit 1; }
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
work=$(mktemp -d "${TMPDIR:-/tmp}/udp-packets.XXXXXX")
pids=()
rules=("-o lo -p udp --sport $PORT" "-o lo -p udp --dport $PORT")
added=()
cleanup() {
  local r
  bench_stop_pids
  for r in "${added[@]:-}"; do
    [ -n "$r" ] && { iptables -w -D OUTPUT $r || echo "could not remove the counting rule: iptables -D OUTPUT $r" >&2; }
  done
  rm -rf "$work"
}
trap cleanup EXIT
. "$root/bench/lib.sh"
udp_mib() { awk '/^Udp:/ { getline; print $2, $5, $6 }' /proc/net/snmp; } # InDatagrams OutDatagrams RcvbufErrors
counts() { iptables -w -L OUTPUT -v -x -n | awk -v p="$PORT" '$0 ~ "spt:" p { s = $1 " " $2 } $0 ~ "dpt:" p { d = $1 " " $2 } END { print s, d }'; }
bench_require_free_udp "$PORT" "the other side's script (ports 4470 / 4471 are fixed)"

if [ "$side" = quinn ]; then
  bench_build_quinn "${QUINN_FANOUT_SRC:-/work/shared/bench/quinn-fanout}" "$work"
  timeout 120 "$QBIN" fanout-server "$PORT" "$RATE" 100 >"$work/server.log" 2>&1 &
  pids+=("$!")
  sleep 0.5
  timeout 120 "$QBIN" fanout-client "$PORT" "$SUBS" 60 >"$work/client.log" 2>&1 &
  pids+=("$!")
  steady=${STEADY_AFTER:-12}
else
  . "$root/scripts/java-home.sh"
  . "$root/scripts/ensure-jar.sh"
  moq_ensure_jar "$root" >&2
  JAVA=(java --enable-native-access=ALL-UNNAMED)
  steady=${STEADY_AFTER:-30}
  timeout $(( steady + 90 )) "${JAVA[@]}" ${MOQ_JAVA_OPTS:-} -jar "$MOQ_JAR" --server-bind "127.0.0.1:$PORT" --tls-generate localhost \
    --auth-public "" --log-level warn --server-quic-congestion-control loss ${RELAY_ARGS:-} >"$work/relay.log" 2>&1 &
  pids+=("$!")
  bench_await_udp "$!" "$PORT" "$work/relay.log"
  timeout $(( steady + 80 )) "${JAVA[@]}" -cp "$MOQ_JAR" org.moqrelay.cli.ClientCommand load "moqt://127.0.0.1:$PORT/anon" \
    --publishers 1 --subscribers "$SUBS" --tracks 1 --rate-kbps "$RATE" --frame-interval-ms 20 --group-frames 50 \
    --seconds $(( steady + 20 )) --warmup-seconds 1 --tls-disable-verify >"$work/load.out" 2>"$work/load.err" &
  pids+=("$!")
fi
server=$(pgrep -P "${pids[0]}" | head -n 1 || true) # the server itself, under timeout
if [ -z "$server" ] || ! bench_udp_bound "$PORT"; then
  echo "the server did not start on udp port $PORT" >&2; cat "$work"/*.log >&2 2>/dev/null || true; exit 1
fi
for r in "${rules[@]}"; do iptables -w -I OUTPUT $r && added+=("$r"); done
sleep "$steady"
kill -0 "$server" 2>/dev/null || { echo "the server exited early" >&2; cat "$work"/*.log >&2; exit 1; }
# Our two rules' counters before and after (never zeroed: other rules in the chain are not ours).
read -r s_pkts0 s_bytes0 c_pkts0 c_bytes0 < <(counts); read -r in0 out0 drop0 < <(udp_mib); c0=$(bench_cpu_ms "$server")
sleep 10
read -r s_pkts1 s_bytes1 c_pkts1 c_bytes1 < <(counts); read -r in1 out1 drop1 < <(udp_mib); c1=$(bench_cpu_ms "$server")
s_pkts=$(( s_pkts1 - s_pkts0 )) s_bytes=$(( s_bytes1 - s_bytes0 )) c_pkts=$(( c_pkts1 - c_pkts0 )) c_bytes=$(( c_bytes1 - c_bytes0 ))
echo "$side subscribers=$SUBS rate_kBps=$RATE window_s=10 loadavg=$(cut -d' ' -f1 /proc/loadavg)"
echo "$side server_sends=$s_pkts server_bytes=$s_bytes bytes_per_send=$(( s_bytes / (s_pkts + 1) ))"
echo "$side client_sends=$c_pkts client_bytes=$c_bytes bytes_per_send=$(( c_bytes / (c_pkts + 1) ))"
echo "$side datagrams_received=$(( in1 - in0 )) receive_buffer_drops=$(( drop1 - drop0 )) server_cpu_ms=$(( c1 - c0 ))"
