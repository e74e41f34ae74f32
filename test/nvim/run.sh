#!/usr/bin/env bash
# Calx in Neovim: runs test/nvim/calx_spec.lua in headless Neovim (a second, independent LSP client) against
# dist/server.js over stdio. Installs Debian's `neovim` with apt-get when run as root and it is missing.
# Exits non-zero when a check fails, Neovim cannot be found, or the run takes longer than the timeout.
#
# Usage: npm run test:nvim        (builds first)   or   bash test/nvim/run.sh
# Environment:
#   CALX_NVIM_TIMEOUT   overall limit in seconds (default 90)
#   CALX_NVIM_WAIT_MS   how long one check waits for the server (default 20000)
#   NVIM                the nvim binary (default: nvim on PATH)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SERVER=$REPO/dist/server.js
SPEC=$REPO/test/nvim/calx_spec.lua
TIMEOUT=${CALX_NVIM_TIMEOUT:-90}
log() { printf '[nvim-test] %s\n' "$*" >&2; }

NVIM=${NVIM:-nvim}
if ! command -v "$NVIM" >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "apt: installing neovim"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q </dev/null >&2
    apt-get install -y -q --no-install-recommends neovim </dev/null >&2
  else
    log "nvim not found; install Neovim 0.7 or newer (Debian: apt-get install neovim) or set NVIM"
    exit 1
  fi
fi
version=$("$NVIM" --version | head -1)
case "$version" in
  "NVIM v0."[0-6].*) log "$version is too old: vim.lsp.start_client with incremental sync needs 0.7 or newer"; exit 1 ;;
esac
[ -f "$SERVER" ] || { log "$SERVER is missing: run \"npm run build\""; exit 1; }

# A throwaway home: Neovim writes its LSP log and state under XDG folders, never into the user's.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/calx-nvim.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$REPO/examples/clinic-note.txt" "$tmp/clinic-note.txt"
export HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_STATE_HOME=$tmp/state XDG_CACHE_HOME=$tmp/cache
export CALX_SERVER=$SERVER CALX_NOTE=$tmp/clinic-note.txt

t0=$(date +%s%N)
status=0
# -u NONE: no user config or plugins; -i NONE: no shada; -n: no swap file. Output of the spec goes to stdout.
timeout --kill-after=5 "$TIMEOUT" "$NVIM" --headless -u NONE -i NONE -n -c "luafile $SPEC" </dev/null || status=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
  log "TIMEOUT: no result within ${TIMEOUT} s"
  exit 1
fi
[ "$status" = 0 ] && log "passed in ${ms} ms ($version)" || log "FAILED (exit $status) after ${ms} ms ($version)"
exit "$status"
