#!/usr/bin/env bash
# Sourced, not run: puts a Node.js >= 24 first on PATH.
#
# The product targets Lambda nodejs24.x and some dependencies (@platformatic/kafka 2, vitest 5)
# need Node >= 22.22, while the machines we develop on may carry an older Node. When the Node on
# PATH is older than 22, the npm package `node@24` (which ships the official binary) is installed
# into .tools/node24 — ignored by git — and that binary is put first on PATH. Nothing is installed
# globally and nothing depends on what happens to be on the machine besides some Node and npm.
_eventpipe_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_eventpipe_tools="$_eventpipe_root/.tools/node24"
_eventpipe_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$_eventpipe_tools/node_modules/.bin/node" ]; then
  export PATH="$_eventpipe_tools/node_modules/.bin:$PATH"
fi
if [ "$(_eventpipe_node_major)" -lt 22 ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "ensure-node: neither Node >= 22 nor npm is on PATH; install Node.js 24 (https://nodejs.org) and retry" >&2
    return 1 2>/dev/null || exit 1
  fi
  echo "ensure-node: Node $(node --version 2>/dev/null || echo none) is too old; installing node@24 into .tools/node24" >&2
  mkdir -p "$_eventpipe_tools"
  # npm 11 blocks dependency install scripts unless allowed; node@24's preinstall fetches the binary.
  printf '{"name":"eventpipe-tools","private":true,"allowScripts":{"node":true}}\n' >"$_eventpipe_tools/package.json"
  if ! npm install --prefix "$_eventpipe_tools" --no-audit --no-fund --loglevel=error node@24 >&2; then
    echo "ensure-node: installing node@24 failed (see above)" >&2
    return 1 2>/dev/null || exit 1
  fi
  export PATH="$_eventpipe_tools/node_modules/.bin:$PATH"
  if [ "$(_eventpipe_node_major)" -lt 24 ]; then
    echo "ensure-node: node@24 installed but $(command -v node) reports $(node --version)" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
unset _eventpipe_root _eventpipe_tools
