# Sourced by the bench scripts: what they all do the same way.

# User+system CPU time of pid $1 in ms (USER_HZ = 100).
bench_cpu_ms() {
  local s; s=$(cat "/proc/$1/stat"); s=${s##*) }; set -- $s; echo $(( (${12} + ${13}) * 10 ))
}

# Stops every process in the caller's `pids` array and reaps it (a relay drains for up to 5 s): for
# the scripts' EXIT traps.
bench_stop_pids() {
  local p
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
}

# VmRSS of pid $1 in kB.
bench_rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# True when a UDP socket is bound to port $1.
bench_udp_bound() { ss -Huln "sport = :$1" 2>/dev/null | grep -q .; }

# Fails (exit 1) when UDP port $1 is taken; $2 names the variable that moves it.
bench_require_free_udp() {
  if bench_udp_bound "$1"; then echo "UDP port $1 is in use (set $2)" >&2; exit 1; fi
}

# Waits up to 30 s for process $1 to bind UDP port $2; if it exits first, prints log $3 and exits 1.
bench_await_udp() {
  local _
  for _ in $(seq 1 300); do
    bench_udp_bound "$2" && return 0
    kill -0 "$1" 2>/dev/null || { echo "the server exited before binding udp port $2:" >&2; cat "$3" >&2; exit 1; }
    sleep 0.1
  done
  echo "nothing bound udp port $2 within 30 s:" >&2; cat "$3" >&2; exit 1
}

# Builds quinn-fanout from a copy of $1 (its source; never built in place) under work dir $2, offline
# from Debian's crates; sets QBIN to the binary and exports QUINN_FANOUT_CERTS. On failure prints the
# build log and exits 1.
bench_build_quinn() {
  cp -r "$1" "$2/quinn-fanout"
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-${TMPDIR:-/tmp}/quinn-fanout-target}
  (cd "$2/quinn-fanout" && ./build.sh) >"$2/quinn-build.log" 2>&1 || { cat "$2/quinn-build.log" >&2; exit 1; }
  QBIN="$CARGO_TARGET_DIR/release/quinn-fanout"
  export QUINN_FANOUT_CERTS="$2/quinn-fanout/certs"
}
