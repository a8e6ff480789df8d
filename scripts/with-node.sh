#!/usr/bin/env bash
# Runs a command with Node.js 24 first on PATH (see ensure-node.sh), so `npm start` and `npm test`
# use the Node version frontdesk targets even where the machine's own is older.
set -euo pipefail
PATH="$("$(dirname "$0")/ensure-node.sh"):$PATH"
export PATH
exec "$@"
