#!/usr/bin/env bash
# Runs every test: unit, codec, model, end-to-end with the Java client and with headless Chromium.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java-home.sh
exec ./mvnw -B -ntp verify "$@"
