#!/usr/bin/env bash
# Makes sure headless Chromium is installed for the dashboard's browser test
# (internal/dashboard, run by `make test`): Debian's package `chromium`, and
# a font with Chinese glyphs so that the page's screenshots are legible.
# Installs them with apt-get when missing and we are root, as
# scripts/services.sh does for PostgreSQL; otherwise says what to install.
# Prints the browser's path on standard output.
set -euo pipefail

say() { printf 'chromium: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

find_browser() {
  for b in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
    [ -n "$b" ] && command -v "$b" 2>/dev/null && return 0
  done
  return 1
}

missing=()
find_browser >/dev/null || missing+=(chromium)
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null | head -n1)" ]; then
  missing+=(fonts-wqy-microhei)
fi
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}: install the Debian package(s) (sudo apt-get install ${missing[*]}) and run again."
  command -v apt-get >/dev/null || die "missing ${missing[*]} and there is no apt-get: install them and run again."
  say "installing ${missing[*]} with apt-get"
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ]; then
    apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  }
fi
find_browser || die "Chromium is not on PATH after installing it"
