# Sourced by ./moq-relay.sh and ./moq (after scripts/java-home.sh). moq_ensure_jar ROOT builds the
# runnable jar moq-cli/target/moq-relay.jar when it is missing or older than any pom.xml or any file
# under */src/main, then sets MOQ_JAR to a private copy of it to run.
#
# Why a copy: Maven rewrites moq-relay.jar in place (this script, ./test.sh, any `mvn package`), and
# a JVM still running from it then fails to load its next class. Each build gets its own file under
# moq-cli/target/run/; old copies are removed after a day (an open file survives its removal).
# Build output goes to stderr, so stdout stays the command's own.
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
    ./mvnw -q -B -ntp -pl moq-cli -am package -DskipTests >&2 || {
      echo "error: build failed; see above, or build by hand: ./mvnw -B -ntp -pl moq-cli -am package -DskipTests" >&2
      exit 1
    }
    [ -f "$jar" ] || { echo "error: the build did not produce $jar" >&2; exit 1; }
    # A source file stamped in the future would otherwise force a rebuild on every start.
    touch "$jar"
  )
}
moq_ensure_jar() { # $1 = repository root; sets MOQ_JAR
  local root="$1" jar="$1/moq-cli/target/moq-relay.jar" dir="$1/moq-cli/target/run" copy
  if moq_jar_stale "$root"; then moq_build_jar "$root"; fi
  mkdir -p "$dir"
  copy="$dir/moq-relay-$(stat -c '%Y-%s' "$jar").jar"
  if [ ! -f "$copy" ]; then
    cp "$jar" "$copy.$$.tmp"
    mv -f "$copy.$$.tmp" "$copy"
  fi
  find "$dir" -maxdepth 1 -type f -name 'moq-relay-*' ! -path "$copy" -mmin +1440 -delete 2>/dev/null || true
  MOQ_JAR="$copy"
}
