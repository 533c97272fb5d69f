#!/usr/bin/env bash
# Installs the Node packages the interop tests drive (test/node: the
# graphql-http audit suite, Apollo composition, gateway and subgraph),
# exactly as package-lock.json pins them, with `npm ci` from the npm
# registry and no install scripts. Does nothing when they are installed and
# the lock file has not changed since. Installs Node.js and npm from Debian
# when they are missing and we are root; otherwise says so and leaves the
# tests to skip with that message.
set -euo pipefail
cd "$(dirname "$0")/../test/node"

say() { printf 'node-deps: %s\n' "$*" >&2; }

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing Node.js and npm with apt-get"
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ]; then
      apt-get update -qq
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    say "node and npm are not installed: the graphql-http audit and the federation test will be skipped (install Node.js 20 or later)"
    exit 0
  fi
fi

stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ ! package-lock.json -nt "$stamp" ]; then
  exit 0
fi
say "npm ci in test/node ($(node --version))"
# --ignore-scripts: nothing runs at install time, so nothing fetches
# anything but the packages themselves.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
