#!/usr/bin/env bash
# Installs the offline end-to-end test harness for Calx into .vscode-test/harness (git-ignored):
#   - code-server (the real VS Code server + web workbench, from the npm registry),
#   - playwright-core (browser driver only, no browser download),
#   - Debian's chromium (the browser) plus the build tools code-server's native modules need.
# test/e2e/harness/code-shim.js then acts as a "VS Code executable" for @vscode/test-electron's runTests().
#
# Idempotent: a marker file records what was installed; a second run with the same versions does nothing.
# Non-interactive (CI=true, no stdin). Fetches only from the npm registry and Debian's package repositories.
#
# Environment:
#   CALX_E2E_HARNESS   harness folder (default: <repo>/.vscode-test/harness)
#   CALX_E2E_FORCE=1   reinstall even if the marker says it is done
set -euo pipefail

CODE_SERVER_VERSION=4.100.3   # VS Code 1.100.3; newest code-server whose engines.node accepts Node 20
PLAYWRIGHT_VERSION=1.65.1
# @vscode/ripgrep version that code-server 4.100.3 depends on, and the asset its postinstall fetches.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
APT_PACKAGES=(chromium ripgrep libkrb5-dev build-essential python3 ca-certificates)

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
H=${CALX_E2E_HARNESS:-$REPO/.vscode-test/harness}
SHIM=$REPO/test/e2e/harness/code-shim.js
MARKER=$H/.installed

log() { printf '[e2e-setup] %s\n' "$*" >&2; }
t0=$(date +%s)

# The shim is spawned directly by runTests(), so it must be executable (git may lose the bit on some checkouts).
[ -x "$SHIM" ] || chmod +x "$SHIM" 2>/dev/null || true

command -v node >/dev/null || { log "node is not on PATH"; exit 1; }
NODE_ABI=$(node -p 'process.versions.modules')   # native modules (node-pty, ...) are built for this ABI
WANT="code-server=$CODE_SERVER_VERSION playwright-core=$PLAYWRIGHT_VERSION node-abi=$NODE_ABI arch=$(uname -m)"

# ---- 1) system packages (Debian) ----------------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "apt: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q </dev/null
    apt-get install -y -q --no-install-recommends "${APT_PACKAGES[@]}" </dev/null
  else
    log "missing Debian packages: ${missing[*]}"
    log "install them first (as root): apt-get update && apt-get install -y --no-install-recommends ${APT_PACKAGES[*]}"
    exit 1
  fi
fi
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { log "no chromium at $CHROMIUM (set CHROMIUM_PATH)"; exit 1; }

# ---- 2) already done? -----------------------------------------------------------------------------------------
SERVER_MAIN=$H/cs/node_modules/code-server/lib/vscode/out/server-main.js
PW_PKG=$H/pw/node_modules/playwright-core/package.json
if [ "${CALX_E2E_FORCE:-0}" != 1 ] && [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$WANT" ] \
   && [ -f "$SERVER_MAIN" ] && [ -f "$PW_PKG" ]; then
  log "harness up to date in $H ($WANT)"
  exit 0
fi
rm -f "$MARKER"
mkdir -p "$H/tmp" "$H/run" "$H/home" "$H/cs" "$H/pw"

# npm settings for the harness installs only (never for the project's own node_modules)
export npm_config_yes=true              # node-pty's install runs `npx node-gyp`
export npm_config_unsafe_perm=true      # code-server's postinstall as root
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
export npm_config_progress=false npm_config_loglevel=warn
[ -f /usr/include/node/node.h ] && export npm_config_nodedir=/usr   # build native modules against the local headers
ALLOW_SCRIPTS=()
# npm >= 11.x blocks dependencies' install scripts unless told otherwise; older npm runs them anyway
case "$(npm install --help 2>/dev/null || true)" in *--dangerously-allow-all-scripts*) ALLOW_SCRIPTS=(--dangerously-allow-all-scripts) ;; esac

# ---- 3) pre-seed @vscode/ripgrep's download cache with Debian's rg ------------------------------------------
# Its postinstall would otherwise download a release asset from a code host; it looks in $TMPDIR first.
RG_CACHE=$H/tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION
if [ ! -s "$RG_CACHE/$RIPGREP_ASSET" ]; then
  mkdir -p "$RG_CACHE"
  d=$(mktemp -d -p "$H/tmp")
  cp "$(command -v rg)" "$d/rg"
  tar czf "$RG_CACHE/$RIPGREP_ASSET" -C "$d" rg
  rm -rf "$d"
fi

# ---- 4) code-server ------------------------------------------------------------------------------------------
write_pkg() { [ -f "$1/package.json" ] || printf '{ "name": "%s", "version": "0.0.0", "private": true }\n' "$2" >"$1/package.json"; }
if [ ! -f "$SERVER_MAIN" ] || ! grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$H/cs/node_modules/code-server/package.json" 2>/dev/null \
   || [ "$(cat "$H/cs/.node-abi" 2>/dev/null)" != "$NODE_ABI" ]; then
  log "npm: installing code-server@$CODE_SERVER_VERSION (about a minute, ~300 MB)"
  rm -rf "$H/cs/node_modules" "$H/cs/package-lock.json" "$H/cs/.node-abi"   # clean: native modules are ABI-specific
  write_pkg "$H/cs" calx-e2e-code-server
  (cd "$H/cs" && TMPDIR=$H/tmp npm install "${ALLOW_SCRIPTS[@]}" \
      "code-server@$CODE_SERVER_VERSION" </dev/null)
  [ -f "$SERVER_MAIN" ] || { log "code-server install incomplete: no $SERVER_MAIN"; exit 1; }
  echo "$NODE_ABI" >"$H/cs/.node-abi"
fi

# ---- 5) playwright-core --------------------------------------------------------------------------------------
if ! grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" "$PW_PKG" 2>/dev/null; then
  log "npm: installing playwright-core@$PLAYWRIGHT_VERSION"
  write_pkg "$H/pw" calx-e2e-playwright
  (cd "$H/pw" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install \
      "playwright-core@$PLAYWRIGHT_VERSION" </dev/null)
fi

echo "$WANT" >"$MARKER"
log "harness installed in $H in $(( $(date +%s) - t0 )) s ($WANT)"
