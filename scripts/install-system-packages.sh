#!/usr/bin/env bash
# Installs the Debian packages Pioneer builds and tests against, when they are missing
# (libxml2-utils: xmllint, which the tests run on every ADX return against schemas/adx/adx.xsd).
# Safe to run repeatedly: it asks apt only for what is not installed yet.
set -euo pipefail

# chromium: the tests open `pioneer report`'s HTML in it, headless, to check it renders.
# libxml2-utils: xmllint checks every ADX return the tests write against the XSD.
# python3: the Tower Hamlets demo site has a plugin in Python (kind: exec), and the tests run its own test.
# postgresql: the intake store's PostgreSQL tests start a throwaway cluster with its initdb and
# pg_ctl (/usr/lib/postgresql/N/bin), and docs/deployment.md's pg_dump/pg_restore are its client's.
# gdb: scripts/run-tests.sh prints the stacks of a test run that hangs, before stopping it.
packages=(libyaml-dev libcurl4-openssl-dev libsqlite3-dev pkg-config curl time openssl chromium libxml2-utils python3 postgresql gdb)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "system packages: all present (${packages[*]})"
    exit 0
fi

if ! command -v apt-get >/dev/null; then
    echo "error: missing ${missing[*]} and this is not a Debian-like system (no apt-get); install them by hand" >&2
    exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
        echo "error: missing ${missing[*]}; run as root or install sudo" >&2
        exit 1
    fi
fi

echo "system packages: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
