#!/usr/bin/env bash
# Debian packages the test suite uses, installed only when missing:
#   - a Java runtime for the HermiT reasoner (owlready2);
#   - Chromium for the browser test (driven by Playwright through executable_path,
#     never `playwright install`);
#   - jemalloc, which the SPARQL query workers preload when present (0-7 % faster
#     queries at 1M triples; MANDATEGRAPH_WORKER_ALLOCATOR);
#   - libseccomp2, with which the query threads switch their network off (SERVICE
#     and LOAD reach no host); Debian ships it in its base system;
#   - Virtuoso Open Source (virtuoso-t, isql-vt), the second SPARQL server the store
#     tests start on loopback (the first, the Oxigraph server, is the `oxigraph` test
#     extra). The package's own service is not started: the tests run their own.
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/*/libjemalloc.so.2 >/dev/null 2>&1 || need+=(libjemalloc2)
ls /usr/lib/*/libseccomp.so.2 >/dev/null 2>&1 || need+=(libseccomp2)
command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1 \
  || need+=(virtuoso-opensource)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing system packages: ${need[*]} (run as root or install them)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
