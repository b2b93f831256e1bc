#!/usr/bin/env bash
# `npm run bench [-- --quick]`: Node 24, dependencies, the local services (started if none runs,
# stopped again afterwards), then the benchmark suites.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/ensure-node.sh
source scripts/ensure-deps.sh
started_services=0
stop_started_services() { if [ "$started_services" = 1 ]; then node local/services/cli.ts down; fi; }
trap stop_started_services EXIT
if ! node local/services/cli.ts status >/dev/null 2>&1; then
  if ! node local/services/cli.ts status 2>/dev/null | grep -q ' up '; then started_services=1; fi
  node local/services/cli.ts up
fi
node bench/run.ts "$@"
