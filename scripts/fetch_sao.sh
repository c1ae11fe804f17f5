#!/usr/bin/env bash
# Install the sao web client (8.0 series, matching trytond) into sao/.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dest=$root/sao
work=$root/sao.tmp

if [[ -d $dest/node_modules && -f $dest/index.html ]]; then
    echo "sao already installed in $dest"
    exit 0
fi

# Build in a scratch folder and move it into place only once complete, so an
# interrupted run is never mistaken for an installed client.
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
tarball=$(cd "$work" && npm pack --silent tryton-sao@8.0 | tail -n 1)
tar -xzf "$work/$tarball" -C "$work"
(cd "$work/package" && npm install --omit=dev --legacy-peer-deps --no-audit --no-fund)
touch "$work/package/custom.js" "$work/package/custom.css"
rm -rf "$dest"
mv "$work/package" "$dest"
echo "sao $(node -p "require('$dest/package.json').version") installed in $dest"
