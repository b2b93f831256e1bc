#!/usr/bin/env bash
# `npm test`: works on a fresh clone with nothing done first. Ensures Node 24 and the
# dependencies, installs kcat when the e2e project may run (test/e2e/kcat-producer.test.ts produces
# with it), brings the local services up if none is running (and stops them again afterwards,
# since it started them), then runs every vitest project. Extra arguments go to vitest, e.g.
# `npm test -- --project unit`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/ensure-node.sh
source scripts/ensure-deps.sh

# kcat is needed unless every project asked for is one that never uses it (unit, infra).
needs_kcat=1
projects=$(printf '%s\n' "$@" | awk 'prev == "--project" { print } /^--project=/ { sub(/^--project=/, ""); print } { prev = $0 }')
if [ -n "$projects" ] && ! printf '%s\n' "$projects" | grep -qvE '^(unit|infra)$'; then needs_kcat=0; fi
if [ "$needs_kcat" = 1 ]; then source scripts/ensure-kcat.sh; fi

started_services=0
stop_started_services() {
  if [ "$started_services" = 1 ]; then node local/services/cli.ts down; fi
}
trap stop_started_services EXIT
if ! node local/services/cli.ts status >/dev/null 2>&1; then
  if ! node local/services/cli.ts status 2>/dev/null | grep -q ' up '; then started_services=1; fi
  node local/services/cli.ts up
fi
node node_modules/vitest/vitest.mjs run "$@"
