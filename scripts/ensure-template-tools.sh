#!/usr/bin/env bash
# Sourced after ensure-node.sh by lint-templates.sh: makes sure cfn-lint and checkov, at the versions
# and hashes locked in test/infra/template-checks/requirements.txt, are installed in a virtualenv
# under .tools/ (ignored by git), and exports TEMPLATE_TOOLS_PYTHON, that virtualenv's python.
#
# The virtualenv is installed once per lock file: a stamp holds the lock's hash, so a second run
# costs a hash and nothing else, and a changed lock installs afresh. `.tools/` may be shared by
# several checkouts of the project, so the install holds a lock and builds into a temporary folder
# that is renamed into place only when complete: no one ever uses a half-installed virtualenv.
# Wheels only (`--only-binary :all:`) and hashes required: nothing is built, nothing unlocked is
# installed.
_tt_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_tt_lock="$_tt_root/test/infra/template-checks/requirements.txt"
_tt_venv="$_tt_root/.tools/template-checks-venv"
_tt_hash="$(sha256sum "$_tt_lock" | cut -c1-64)"

# The lock was compiled for Python 3.11 (numpy, a checkov dependency, needs >= 3.11); it installs
# and gives the same findings on 3.12 and 3.13 (tried with 3.12.1 and 3.13.0). Prefer 3.11, then
# any python3 from 3.11 to 3.13. (A pyenv shim for a version that is not selected fails the version
# check and is passed over.) Console scripts in the virtualenv's bin/ name the temporary folder it
# was built in: run the tools as `python -m`, as lint-templates.ts does.
_tt_find_python() {
  local candidate
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 1)' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

_tt_install() {
  local python tmp
  if ! python="$(_tt_find_python)"; then
    echo "ensure-template-tools: cfn-lint and checkov need Python 3.11, 3.12 or 3.13 on PATH (python3.11 preferred)" >&2
    return 1
  fi
  echo "ensure-template-tools: installing cfn-lint and checkov into .tools/template-checks-venv ($($python --version))" >&2
  tmp="$(mktemp -d "$_tt_root/.tools/template-checks-venv.tmp.XXXXXX")" &&
    "$python" -m venv "$tmp" &&
    "$tmp/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
      --require-hashes --only-binary :all: --no-deps -r "$_tt_lock" >&2 &&
    echo "$_tt_hash" >"$tmp/.lock-sha256" &&
    rm -rf "$_tt_venv" &&
    mv "$tmp" "$_tt_venv" || {
    echo "ensure-template-tools: installing the template checkers failed (see above)" >&2
    rm -rf "$tmp"
    return 1
  }
}

if [ "$(cat "$_tt_venv/.lock-sha256" 2>/dev/null)" != "$_tt_hash" ]; then
  mkdir -p "$_tt_root/.tools"
  (
    flock 9
    # Another checkout may have installed the same lock while this one waited.
    if [ "$(cat "$_tt_venv/.lock-sha256" 2>/dev/null)" != "$_tt_hash" ]; then
      # Left by an install that was killed: only installers, holding this lock, create them.
      rm -rf "$_tt_root/.tools/template-checks-venv.tmp."*
      _tt_install
    fi
  ) 9>"$_tt_root/.tools/template-checks-venv.lock" || { return 1 2>/dev/null || exit 1; }
fi
export TEMPLATE_TOOLS_PYTHON="$_tt_venv/bin/python"
unset _tt_root _tt_lock _tt_venv _tt_hash
unset -f _tt_find_python _tt_install
