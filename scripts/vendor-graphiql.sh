#!/usr/bin/env bash
# Fetches the GraphiQL page's files from the npm registry into
# internal/web/graphiql/ (see its README.md). Run it to move to other
# versions, then update the README's table with the printed checksums.
set -euo pipefail
GRAPHIQL=${GRAPHIQL:-4.1.2}
REACT=${REACT:-18.3.1}
cd "$(dirname "$0")/.."
dst=internal/web/graphiql
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null)
for p in graphiql react react-dom; do
  mkdir -p "$tmp/$p" && tar xzf "$tmp/$p"-*.tgz -C "$tmp/$p"
  cp "$tmp/$p/package/LICENSE" "$dst/LICENSE.$p"
done
cp "$tmp/graphiql/package/graphiql.min.js" "$tmp/graphiql/package/graphiql.min.css" "$dst/"
cp "$tmp/react/package/umd/react.production.min.js" "$tmp/react-dom/package/umd/react-dom.production.min.js" "$dst/"
(cd "$dst" && sha256sum ./*.js ./*.css)
