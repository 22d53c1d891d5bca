#!/bin/sh
# Installs the independent feed checkers the conformance tests use, from Debian's packages:
# xmllint (libxml2-utils), jing (RELAX NG, for RFC 4287's Atom schema), Universal Feed Parser
# (python3-feedparser) and html5lib (python3-html5lib). Idempotent; needs root.
set -e
if command -v xmllint >/dev/null && command -v jing >/dev/null \
  && /usr/bin/python3 -c 'import feedparser, html5lib' 2>/dev/null; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends libxml2-utils jing python3-feedparser python3-html5lib >/dev/null
