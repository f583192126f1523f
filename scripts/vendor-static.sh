#!/usr/bin/env bash
# Copy the front-end files the web app needs from node_modules into the package's static folder.
# The copies are committed, so that `pip install` works offline; run this after changing
# package.json:   npm ci && bash scripts/vendor-static.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/node_modules"
dest="$root/veerkracht/web/static/vendor"

if [ ! -d "$src/maplibre-gl/dist" ]; then
    echo "node_modules/maplibre-gl is missing: run 'npm ci' in $root first" >&2
    exit 1
fi

version="$(node -p "require('$src/maplibre-gl/package.json').version")"
mkdir -p "$dest/maplibre-gl"
rm -f "$dest/maplibre-gl/"*
# The minified UMD build carries its worker inline; drop the source-map comment so that
# browsers do not ask the server for a .map file that is not shipped.
sed '/^\/\/# sourceMappingURL=/d' "$src/maplibre-gl/dist/maplibre-gl.js" > "$dest/maplibre-gl/maplibre-gl.js"
sed '/sourceMappingURL=/d' "$src/maplibre-gl/dist/maplibre-gl.css" > "$dest/maplibre-gl/maplibre-gl.css"
cp "$src/maplibre-gl/LICENSE.txt" "$dest/maplibre-gl/LICENSE.txt"
echo "$version" > "$dest/maplibre-gl/VERSION"

echo "vendored maplibre-gl $version into ${dest#"$root/"}:"
ls -l "$dest/maplibre-gl"
