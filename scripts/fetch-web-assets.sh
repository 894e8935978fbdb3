#!/usr/bin/env bash
# Web assets come from the npm registry at build time and are served locally:
# pages never load anything from a CDN.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/api/static/vendor"
if [ -f "$dest/yasgui/yasgui.min.js" ] && [ -f "$dest/vis-network/vis-network.min.js" ] \
   && [ -f "$dest/swagger-ui/swagger-ui-bundle.js" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  # the machines here ship Node.js and npm; install Debian's where they are missing
  if [ "$(id -u)" != 0 ]; then
    echo "npm is missing: install Node.js and npm, then run 'make assets'" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
( cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
    @zazuko/yasgui@4.6 vis-network@10 swagger-ui-dist@5 >/dev/null )
mkdir -p "$dest/yasgui" "$dest/vis-network" "$dest/swagger-ui"
cp "$work/node_modules/@zazuko/yasgui/build/yasgui.min.js" \
   "$work/node_modules/@zazuko/yasgui/build/yasgui.min.css" "$dest/yasgui/"
cp "$work/node_modules/vis-network/standalone/umd/vis-network.min.js" "$dest/vis-network/"
cp "$work/node_modules/swagger-ui-dist/"{swagger-ui-bundle.js,swagger-ui.css,LICENSE,NOTICE} \
   "$dest/swagger-ui/"
for lic in "$work/node_modules/@zazuko/yasgui/LICENSE"* ; do [ -f "$lic" ] && cp "$lic" "$dest/yasgui/"; done
for lic in "$work/node_modules/vis-network/LICENSE"* ; do [ -f "$lic" ] && cp "$lic" "$dest/vis-network/"; done
echo "web assets in $dest"
