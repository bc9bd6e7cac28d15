#!/usr/bin/env bash
# bench/stack-floor.sh [SUBSCRIBERS] [RATE_KBPS] [PAIRS]
#
# The floor the relay's QUIC stack sets under fanout-vs-quinn.sh's ratio. quinn-fanout's server
# and the same server written on the relay's QUIC listener with no MoQ on top
# (org.moqrelay.bench.quic.StackFanoutServer: its sockets, GSO batcher, CUBIC) serve the same client
# in turn: SUBSCRIBERS (200) connections, each sent RATE_KBPS (250) kB/s as a chunk every 20 ms on
# one stream. For each of PAIRS (3) rounds it runs quinn, then the stack, and samples the server's
# CPU over 10 s, STEADY_AFTER (15) s after the last connection is up. It ends with `floor F`, the
# stack's mean CPU per delivered byte over quinn's: a relay on this stack cannot get its ratio
# below F, whatever it does above QUIC.
#
# SIDES="quinn stack thin" adds io.netty.handler.codec.quic.ThinFanoutServer, an experiment that
# drives quiche through Netty's JNI bindings without Netty's QUIC channels, and prints `thin T`
# too: what a thinner layer over quiche could save.
#
# Environment: CLIENT=quinn (default: quinn-fanout's client, the bench's yardstick) or java
# (StackFanoutClient: the Java client's QUIC stack, the one `moq load` uses); STACK_THREADS (the
# stack server's loops, default one per core); PORT (4480); QUINN_FANOUT_SRC
# (/work/shared/bench/quinn-fanout); MOQ_BENCH_NO_BUILD=1 skips building moq-bench.
set -euo pipefail
SUBS=${1:-200} RATE=${2:-250} PAIRS=${3:-3}
CLIENT=${CLIENT:-quinn} PORT=${PORT:-4480} STEADY=${STEADY_AFTER:-15} SIDES=${SIDES:-quinn stack}
case "$CLIENT" in quinn|java) ;; *) echo "CLIENT must be quinn or java" >&2; exit 64 ;; esac
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/bench/lib.sh"
. "$root/scripts/java-home.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/stack-floor.XXXXXX")
pids=()
cleanup() { bench_stop_pids; rm -rf "$work"; }
trap cleanup EXIT
bench_build_quinn "${QUINN_FANOUT_SRC:-/work/shared/bench/quinn-fanout}" "$work"
if [ -z "${MOQ_BENCH_NO_BUILD:-}" ]; then
  echo "building moq-bench ..." >&2
  (cd "$root" && MAVEN_OPTS="--enable-native-access=ALL-UNNAMED" ./mvnw -q -B -ntp -pl moq-bench -am package -DskipTests) >&2
fi
JAVA=(java --enable-native-access=ALL-UNNAMED -cp "$root/moq-bench/target/benchmarks.jar")
secs=$(( STEADY + 150 )) # bounds every process; the window ends long before

run_one() { # $1 = quinn|stack|thin; prints "cpu_ms delivered_MBps"
  local side=$1 server client t
  bench_require_free_udp "$PORT" PORT
  case "$side" in
    quinn) timeout "$secs" "$QBIN" fanout-server "$PORT" "$RATE" "$secs" >"$work/server.log" 2>&1 & ;;
    stack) timeout "$secs" "${JAVA[@]}" org.moqrelay.bench.quic.StackFanoutServer "$PORT" "$RATE" "$secs" ${STACK_THREADS:-} >"$work/server.log" 2>&1 & ;;
    thin) timeout "$secs" "${JAVA[@]}" io.netty.handler.codec.quic.ThinFanoutServer "$PORT" "$RATE" "$secs" ${STACK_THREADS:-} >"$work/server.log" 2>&1 & ;;
    *) echo "unknown side $side (SIDES: quinn, stack, thin)" >&2; exit 64 ;;
  esac
  server=$!; pids+=("$server")
  bench_await_udp "$server" "$PORT" "$work/server.log"
  if [ "$CLIENT" = quinn ]; then
    timeout "$secs" "$QBIN" fanout-client "$PORT" "$SUBS" "$secs" >"$work/client.log" 2>&1 &
  else
    timeout "$secs" "${JAVA[@]}" org.moqrelay.bench.quic.StackFanoutClient "$PORT" "$SUBS" "$secs" >"$work/client.log" 2>&1 &
  fi
  client=$!; pids+=("$client")
  for t in $(seq 1 1200); do grep -q 'connections up' "$work/client.log" && break; sleep 0.1; done
  grep -q 'connections up' "$work/client.log" || { echo "$side: the connections did not come up in 120 s:" >&2; cat "$work"/*.log >&2; exit 1; }
  sleep "$STEADY"
  local server_pid c0 c1 r0 r1
  server_pid=$(pgrep -P "$server" | head -n 1 || true)
  [ -n "$server_pid" ] || { echo "$side: the server exited early:" >&2; cat "$work/server.log" >&2; exit 1; }
  r0=$(grep -c ' rx\]' "$work/client.log" || true)
  c0=$(bench_cpu_ms "$server_pid"); sleep 10; c1=$(bench_cpu_ms "$server_pid")
  # The client's reports every 5 s that fall inside the window give the delivered rate.
  for t in $(seq 1 100); do r1=$(grep -c ' rx\]' "$work/client.log" || true); [ "$r1" -ge $(( r0 + 2 )) ] && break; sleep 0.1; done
  local rate
  rate=$(grep ' rx\]' "$work/client.log" | sed -n "$(( r0 + 1 )),$(( r0 + 2 ))p" | sed -E 's/.*: ([0-9.]+) MB\/s.*/\1/' | awk '{s += $1; n++} END {printf "%.2f", n ? s / n : 0}')
  kill "$client" "$server" 2>/dev/null || true
  wait "$client" "$server" 2>/dev/null || true
  echo "$(( c1 - c0 )) $rate"
}

echo "stack-floor: $SUBS x $RATE kB/s, client $CLIENT, sides $SIDES, $PAIRS rounds, 10 s sampled ${STEADY} s after the connections are up"
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A sum=([quinn]=0 [stack]=0 [thin]=0)
for i in $(seq 1 "$PAIRS"); do
  for side in $SIDES; do
    read -r cpu rate < <(run_one "$side")
    nspb=$(awk -v c="$cpu" -v r="$rate" 'BEGIN {printf "%.3f", (r > 0 ? c * 1e6 / (r * 1e6 * 10) : 0)}')
    echo "$side round $i: server_cpu_ms=$cpu delivered_MBps=$rate server_cpu_ns_per_byte=$nspb"
    sum[$side]=$(awk -v a="${sum[$side]}" -v b="$nspb" 'BEGIN {print a + b}')
  done
done
echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)"
for side in stack thin; do
  case " $SIDES " in *" $side "*) ;; *) continue ;; esac
  label=$([ "$side" = stack ] && echo floor || echo thin)
  awk -v q="${sum[quinn]}" -v s="${sum[$side]}" -v l="$label" 'BEGIN {printf "%s %.2f\n", l, (q > 0 ? s / q : 0)}'
done
