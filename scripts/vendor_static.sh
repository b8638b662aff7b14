#!/usr/bin/env bash
# Copies the front-end files that the templates load from node_modules/ (filled by `npm ci` from
# package-lock.json) into src/faims/static/vendor/, so that nothing is ever fetched from a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."

src=node_modules
dest=src/faims/static/vendor

# Each line: file in node_modules/ -> path under static/vendor/.
files=(
  "bootstrap/dist/css/bootstrap.min.css           bootstrap/bootstrap.min.css"
  "bootstrap/dist/css/bootstrap.min.css.map       bootstrap/bootstrap.min.css.map"
  "bootstrap/dist/js/bootstrap.bundle.min.js      bootstrap/bootstrap.bundle.min.js"
  "bootstrap/dist/js/bootstrap.bundle.min.js.map  bootstrap/bootstrap.bundle.min.js.map"
  "bootstrap/LICENSE                              bootstrap/LICENSE"
  "echarts/dist/echarts.min.js                    echarts/echarts.min.js"
  "echarts/LICENSE                                echarts/LICENSE"
  "echarts/NOTICE                                 echarts/NOTICE"
)

for line in "${files[@]}"; do
  read -r from to <<<"$line"
  if [[ ! -f "$src/$from" ]]; then
    echo "vendor_static: $src/$from is missing; run npm ci (make install does)" >&2
    exit 1
  fi
  install -D -m 0644 "$src/$from" "$dest/$to"
done
echo "vendor_static: ${#files[@]} files in $dest"
