#!/usr/bin/env bash
# Vendors Apache ECharts for the dashboard page (internal/dashboard): the
# minified browser build and its licence files, from the npm registry at a
# pinned version, checked against the registry's integrity hash. The result
# is committed, so that `make run` works from a clean clone with no network
# (the page runs on an intranet and loads nothing from elsewhere). Run it
# only to move to another version: change VERSION and INTEGRITY together
# (`npm view echarts@X dist.integrity`), and the script's path in
# internal/dashboard/assets/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=6.1.0
INTEGRITY=sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA==
DEST=internal/dashboard/assets/vendor/echarts-$VERSION

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "echarts@$VERSION" >/dev/null)
tgz="$tmp/echarts-$VERSION.tgz"
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [ "$got" != "$INTEGRITY" ]; then
  echo "vendor-echarts: echarts-$VERSION.tgz has integrity $got, want $INTEGRITY" >&2
  exit 1
fi
tar -xzf "$tgz" -C "$tmp"
rm -rf internal/dashboard/assets/vendor/echarts-*
mkdir -p "$DEST"
cp "$tmp/package/dist/echarts.min.js" "$tmp/package/LICENSE" "$tmp/package/NOTICE" "$tmp/package/licenses/LICENSE-d3" "$DEST/"
cat >"$DEST/VERSION" <<EOV
Apache ECharts $VERSION (npm package echarts, dist/echarts.min.js), Apache License 2.0 (LICENSE, NOTICE;
it bundles code under the BSD licence of d3: LICENSE-d3). Integrity of the npm tarball: $INTEGRITY
Vendored by scripts/vendor-echarts.sh.
EOV
echo "vendor-echarts: echarts $VERSION in $DEST"
