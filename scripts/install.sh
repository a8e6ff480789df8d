#!/usr/bin/env bash
# First step of the quick start: Node.js 24 (from the npm registry when the machine's is older),
# redis-server when it is missing and we may install packages, then the npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$(scripts/ensure-node.sh):$PATH"
export PATH
if ! command -v redis-server >/dev/null && command -v apt-get >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq redis-server >/dev/null
  fi
fi
npm ci --no-audit --no-fund
