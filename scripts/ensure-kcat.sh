#!/usr/bin/env bash
# Sourced, not run: makes sure `kcat` (Debian package `kcat`, librdkafka's command-line client) is
# on PATH.
#
# The e2e test test/e2e/kcat-producer.test.ts writes records with kcat because it is a producer
# that shares no code with ours: librdkafka's own compression codecs, header encoding (including a
# header without a value, `-H name`) and tombstones (`-Z`). A test that only ever reads what our own
# client wrote cannot find what a foreign client sends. That test fails, never skips, without kcat,
# so `npm test` installs it here on a fresh Debian/Ubuntu machine (apt-get, as root or with sudo).
if ! command -v kcat >/dev/null 2>&1; then
  _eventpipe_sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then _eventpipe_sudo="sudo -n"; fi
  fi
  if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" != 0 ] && [ -z "$_eventpipe_sudo" ]; }; then
    echo "ensure-kcat: kcat is not installed and cannot be installed here (needs apt-get as root or passwordless sudo); install the kcat package (https://github.com/edenhill/kcat) and retry" >&2
    unset _eventpipe_sudo
    return 1 2>/dev/null || exit 1
  fi
  echo "ensure-kcat: installing the Debian package kcat" >&2
  if ! { $_eventpipe_sudo apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive $_eventpipe_sudo apt-get install -y -qq --no-install-recommends kcat >&2; }; then
    echo "ensure-kcat: apt-get could not install kcat (see above); install it by hand and retry" >&2
    unset _eventpipe_sudo
    return 1 2>/dev/null || exit 1
  fi
  unset _eventpipe_sudo
  if ! command -v kcat >/dev/null 2>&1; then
    echo "ensure-kcat: apt-get installed kcat but it is not on PATH ($PATH)" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
