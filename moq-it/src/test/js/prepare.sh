#!/usr/bin/env bash
# Installs the npm packages (npm ci, only when the lock file changed) and bundles the test page.
# Run by Maven (moq-it, phase generate-test-resources) and usable by hand: bash moq-it/src/test/js/prepare.sh
set -euo pipefail
cd "$(dirname "$0")"
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "ERROR: '$tool' not found on PATH. The moq-it browser/Node tests need Node.js >= 18 and npm" >&2
    echo "       (Debian: apt-get install -y nodejs npm). Skip this step with -Dmoq.it.js.skip=true." >&2
    exit 1
  fi
done
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "ERROR: Node.js >= 18 needed, found $(node --version)" >&2
  exit 1
fi
stamp=node_modules/.moq-it-lock.sha256
want=$( { sha256sum package-lock.json package.json; } | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -d node_modules/@moq/net ]; then
  echo "prepare.sh: npm ci (package-lock.json changed or node_modules missing)"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
else
  echo "prepare.sh: node_modules up to date"
fi
node build.mjs "$@"
