#!/usr/bin/env bash
# Runs the relay: ./moq-relay.sh [CONFIG.toml] [flags]  (./moq-relay.sh --help lists them).
# (Named .sh because ./moq-relay is the Maven module of the same name.)
# Builds moq-cli/target/moq-relay.jar first when it is missing or out of date.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
. "$root/scripts/java-home.sh"
. "$root/scripts/ensure-jar.sh"
moq_ensure_jar "$root"
# MOQ_JAVA_OPTS: extra JVM options, e.g. MOQ_JAVA_OPTS="-Xmx1g".
# shellcheck disable=SC2086
exec java --enable-native-access=ALL-UNNAMED ${MOQ_JAVA_OPTS:-} -jar "$MOQ_JAR" "$@"
