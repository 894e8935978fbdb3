#!/usr/bin/env bash
# Web assets come from the npm registry at build time and are served locally:
# pages never load anything from a CDN.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/api/static/vendor"
if [ -f "$dest/yasgui/yasgui.min.js" ] && [ -f "$dest/vis-network/vis-network.min.js" ] \
   && [ -f "$dest/swagger-ui/swagger-ui-bundle.js" ] && [ -f "$dest/vega/vega-embed.min.js" ] \
   && [ -f "$dest/world-atlas/countries-50m.json" ]; then
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
    @zazuko/yasgui@4.6 vis-network@10 swagger-ui-dist@5 \
    vega@6 vega-lite@6 vega-embed@7 world-atlas@2 >/dev/null )
mkdir -p "$dest/yasgui" "$dest/vis-network" "$dest/swagger-ui" "$dest/vega" "$dest/world-atlas"
cp "$work/node_modules/@zazuko/yasgui/build/yasgui.min.js" \
   "$work/node_modules/@zazuko/yasgui/build/yasgui.min.css" "$dest/yasgui/"
cp "$work/node_modules/vis-network/standalone/umd/vis-network.min.js" "$dest/vis-network/"
cp "$work/node_modules/swagger-ui-dist/"{swagger-ui-bundle.js,swagger-ui.css,LICENSE,NOTICE} \
   "$dest/swagger-ui/"
# the charts: Vega-Lite specs drawn by vega-embed; the map's shapes are Natural Earth's
# at 1:50m, where the small island states are still there
cp "$work/node_modules/vega/build/vega.min.js" "$work/node_modules/vega-lite/build/vega-lite.min.js" \
   "$work/node_modules/vega-embed/build/vega-embed.min.js" "$dest/vega/"
cp "$work/node_modules/vega/LICENSE" "$dest/vega/LICENSE-vega"
cp "$work/node_modules/vega-lite/LICENSE" "$dest/vega/LICENSE-vega-lite"
cp "$work/node_modules/vega-embed/LICENSE" "$dest/vega/LICENSE-vega-embed"
cp "$work/node_modules/world-atlas/countries-50m.json" "$work/node_modules/world-atlas/LICENSE" \
   "$dest/world-atlas/"
for lic in "$work/node_modules/@zazuko/yasgui/LICENSE"* ; do [ -f "$lic" ] && cp "$lic" "$dest/yasgui/"; done
for lic in "$work/node_modules/vis-network/LICENSE"* ; do [ -f "$lic" ] && cp "$lic" "$dest/vis-network/"; done
echo "web assets in $dest"
