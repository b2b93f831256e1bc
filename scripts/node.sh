#!/usr/bin/env bash
# Runs Node 24 (installing it if needed) with the given arguments: `bash scripts/node.sh file.ts`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-node.sh"
source "$(dirname "${BASH_SOURCE[0]}")/ensure-deps.sh"
exec node "$@"
