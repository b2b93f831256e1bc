#!/usr/bin/env bash
# `npm start`: the product on this machine. Ensures Node 24 and the dependencies, then hands over
# to the CLI's `start` command (extra arguments pass through: `npm start -- --demo`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/ensure-node.sh
source scripts/ensure-deps.sh
exec node local/cli/main.ts start "$@"
