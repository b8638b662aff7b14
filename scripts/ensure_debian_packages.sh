#!/usr/bin/env bash
# ensure_debian_packages.sh PACKAGE:FILE … — installs each Debian PACKAGE whose FILE is missing.
#
# Only root can install; anyone else gets a notice, and the caller decides what a missing FILE
# means (the browser tests skip, compilemessages fails with its own message). Never fails itself:
# a machine without apt or without the network must still run what does not need FILE.
set -uo pipefail

missing=()
for pair in "$@"; do
  [[ -e "${pair#*:}" ]] || missing+=("${pair%%:*}")
done
(( ${#missing[@]} )) || exit 0

if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "notice: missing Debian packages, which only root can install: apt-get install ${missing[*]}" >&2
  exit 0
fi

echo "Installing Debian packages: ${missing[*]} …"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-q -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
# The package lists are refreshed first: on a new machine they may be absent or stale.
log=$(mktemp)
if apt-get "${apt_opts[@]}" update >"$log" 2>&1 \
    && apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
  echo "Installed ${missing[*]}."
else
  tail -n 20 "$log" >&2
  echo "notice: apt-get install ${missing[*]} failed" >&2
fi
rm -f "$log"
for pair in "$@"; do
  [[ -e "${pair#*:}" ]] || echo "notice: ${pair#*:} (Debian package ${pair%%:*}) is still missing" >&2
done
exit 0
