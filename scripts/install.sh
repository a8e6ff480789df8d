#!/usr/bin/env bash
# First step of the quick start: Node.js 24 (from the npm registry when the machine's is older),
# redis-server when it is missing and we may install packages, then the npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$(scripts/ensure-node.sh):$PATH"
export PATH
# Debian packages frontdesk uses when present: redis-server (queues) and a CJK font (report charts).
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  else echo "Not installed (no root): ${missing[*]}; install them with apt-get for queues and report charts." >&2
  fi
fi
npm ci --no-audit --no-fund
