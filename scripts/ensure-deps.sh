#!/usr/bin/env bash
# Sourced after ensure-node.sh: runs `npm ci` when node_modules is missing or older than the lock
# file, so that `npm test` and `npm start` work on a fresh clone with nothing done first.
_eventpipe_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$_eventpipe_root/node_modules/.package-lock.json" ] ||
  [ "$_eventpipe_root/package-lock.json" -nt "$_eventpipe_root/node_modules/.package-lock.json" ]; then
  echo "ensure-deps: installing dependencies with npm ci" >&2
  (cd "$_eventpipe_root" && npm ci --no-audit --no-fund --loglevel=error) || { return 1 2>/dev/null || exit 1; }
fi
unset _eventpipe_root
