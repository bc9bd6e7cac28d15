# Sourced by every script: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it is new enough, then the newest JDK in /usr/lib/jvm.
moq_java_major() { # prints the major version of the JDK at $1, or 0
  local rel="$1/release"
  [ -x "$1/bin/javac" ] && [ -f "$rel" ] || { echo 0; return; }
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel" | head -1
}
moq_find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ "$(moq_java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then return 0; fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/*; do
    [ -d "$d" ] || continue
    v=$(moq_java_major "$d"); v=${v:-0}
    if [ "$v" -ge 21 ] 2>/dev/null && [ "$v" -gt "$best_v" ]; then best="$d"; best_v=$v; fi
  done
  if [ -z "$best" ]; then
    echo "error: no JDK >= 21 found (set JAVA_HOME, or install one under /usr/lib/jvm, e.g. 'apt-get install openjdk-21-jdk' or Temurin 25)" >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
moq_find_java || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
