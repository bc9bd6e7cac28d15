# Sourced by ./moq-relay and ./moq (after scripts/java-home.sh). `moq_ensure_jar ROOT` builds the
# runnable jar moq-cli/target/moq-relay.jar when it is missing or older than any pom.xml or any file
# under */src/main, then sets MOQ_JAR to a private copy of it to run. Build output goes to stderr,
# so stdout stays the command's own. MOQ_NO_BUILD=1 skips the check and runs the last jar built.
#
# Why a copy: Maven rewrites moq-relay.jar in place (this script, ./test.sh, any `mvn package`), and
# a JVM still running from it then fails to load its next class. Each build gets its own copy under
# moq-cli/target/run/; copies other than the newest are removed after 10 minutes (a running JVM
# keeps its jar open, and an open file survives its removal).
moq_jar_stale() { # $1 = repository root; true when the jar must be (re)built
  local root="$1" jar="$1/moq-cli/target/moq-relay.jar"
  [ -f "$jar" ] || return 0
  [ -n "$(find "$root" -mindepth 1 \( -name target -o -name node_modules -o -name '.*' \) -prune -o \
      \( -name pom.xml -o -path "$root/*/src/main/*" \) -type f -newer "$jar" -print -quit)" ]
}
moq_build_jar() { # $1 = repository root
  local root="$1" jar="$1/moq-cli/target/moq-relay.jar"
  mkdir -p "$root/moq-cli/target"
  (
    # Two launchers started together must not run two Maven builds into the same target/ folders.
    if command -v flock >/dev/null 2>&1; then
      exec 9>"$root/moq-cli/target/.ensure-jar.lock"
      flock 9
    fi
    moq_jar_stale "$root" || exit 0
    echo "building $jar (missing or older than the sources) ..." >&2
    cd "$root"
    # Quiets the newer JDKs' warnings about Maven's own libraries (jansi, guava); JDK 21 lacks the second flag.
    if [ -z "${MAVEN_OPTS:-}" ]; then
      MAVEN_OPTS="--enable-native-access=ALL-UNNAMED"
      if [ "$(moq_java_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then
        MAVEN_OPTS="$MAVEN_OPTS --sun-misc-unsafe-memory-access=allow"
      fi
      export MAVEN_OPTS
    fi
    # The container image (moq-cli/target/moq-relay-image.tar) is not needed to run the jar.
    ./mvnw -q -B -ntp -pl moq-cli -am package -DskipTests -Dmoq.image.skip=true >&2 || {
      echo "error: build failed (see above); retry by hand with ./mvnw -B -ntp -pl moq-cli -am package -DskipTests -Dmoq.image.skip=true," >&2
      echo "       or set MOQ_NO_BUILD=1 to run the last jar that was built" >&2
      exit 1
    }
    [ -f "$jar" ] || { echo "error: the build did not produce $jar" >&2; exit 1; }
    # A source file stamped in the future would otherwise force a rebuild on every start.
    touch "$jar"
  )
}
moq_jar_complete() { # $1 = file; true when it ends with a zip end-of-central-directory record
  [ "$(tail -c 22 "$1" | head -c 4 | od -An -tx1 | tr -d ' \n')" = 504b0506 ]
}
moq_copy_jar() { # $1 = built jar, $2 = folder for copies, $3 = seconds unchanged; prints the copy
  local jar="$1" dir="$2" quiet="$3" stamp copy tmp tries=0
  mkdir -p "$dir"
  while :; do
    # Copy only a jar that no other build is writing: unchanged for $quiet s and during the copy.
    stamp="$(stat -c '%.9Y-%s' "$jar")"
    copy="$dir/moq-relay-${stamp%%.*}-${stamp##*-}.jar"
    if [ -f "$copy" ]; then touch "$copy"; break; fi
    tmp="$copy.$$.tmp"
    if [ $(( $(date +%s) - ${stamp%%.*} )) -ge "$quiet" ] && cp "$jar" "$tmp" \
        && [ "$(stat -c '%.9Y-%s' "$jar")" = "$stamp" ] && moq_jar_complete "$tmp"; then
      mv -f "$tmp" "$copy"
      break
    fi
    rm -f "$tmp"
    tries=$((tries + 1))
    if [ "$tries" -eq 3 ]; then echo "waiting for another build to finish writing $jar ..." >&2; fi
    if [ "$tries" -ge 300 ]; then echo "error: $jar kept changing for 5 minutes" >&2; return 1; fi
    sleep 1
  done
  find "$dir" -maxdepth 1 -type f -name 'moq-relay-*' ! -path "$copy" -mmin +10 -delete 2>/dev/null || true
  printf '%s\n' "$copy"
}
moq_ensure_jar() { # $1 = repository root; sets MOQ_JAR
  local root="$1" quiet=2
  if [ -n "${MOQ_NO_BUILD:-}" ]; then
    # Escape hatch while the tree does not compile: run the last jar that was built, as it is.
    [ -f "$root/moq-cli/target/moq-relay.jar" ] || { echo "error: MOQ_NO_BUILD is set but there is no moq-cli/target/moq-relay.jar" >&2; return 1; }
  elif moq_jar_stale "$root"; then
    moq_build_jar "$root"
    quiet=0
  fi
  MOQ_JAR="$(moq_copy_jar "$root/moq-cli/target/moq-relay.jar" "$root/moq-cli/target/run" "$quiet")"
}
