#!/usr/bin/env bash
# The packaged extension, tested where users get it: installs calx.vsix with the harness's VS Code CLI
# (`server-main.js --install-extension`, as `code --install-extension` does) into a throwaway extensions folder,
# then runs the whole e2e suite against the installed copy (CALX_E2E_EXTENSION) instead of the repository.
# Catches a .vscodeignore that leaves out something the extension needs at run time.
#
# Usage: npm run test:e2e:vsix      (packages first)   or   bash test/e2e/vsix.sh [path/to/calx.vsix]
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
H=${CALX_E2E_HARNESS:-$REPO/.vscode-test/harness}
VSIX=$(realpath "${1:-$REPO/calx.vsix}")
SERVER_MAIN=$H/cs/node_modules/code-server/lib/vscode/out/server-main.js
log() { printf '[e2e-vsix] %s\n' "$*" >&2; }

[ -f "$VSIX" ] || { log "$VSIX not found: run \"npm run package\""; exit 1; }
[ -f "$SERVER_MAIN" ] || { log "harness not installed: run \"bash test/e2e/harness/setup.sh\""; exit 1; }

mkdir -p "$H/tmp"
tmp=$(mktemp -d "$H/tmp/vsix.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home"
HOME=$tmp/home node "$SERVER_MAIN" --accept-server-license-terms --install-extension "$VSIX" \
  --extensions-dir "$tmp/exts" --server-data-dir "$tmp/sd" --user-data-dir "$tmp/ud" </dev/null >&2
version=$(node -p "require('$REPO/package.json').version")
installed=$tmp/exts/calx.calx-$version
[ -f "$installed/package.json" ] || { log "not installed as expected: $installed"; ls "$tmp/exts" >&2 || true; exit 1; }
log "installed $(basename "$VSIX") as $(basename "$installed") ($(find "$installed" -type f | wc -l) files)"

node "$REPO/test/e2e/build.mjs"
CALX_E2E_EXTENSION=$installed node "$REPO/test/e2e/runE2e.mjs"
