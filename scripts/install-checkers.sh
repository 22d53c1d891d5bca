#!/bin/sh
# Installs the independent checkers the tests use, from Debian's packages: xmllint
# (libxml2-utils), jing (RELAX NG, for RFC 4287's Atom schema), Universal Feed Parser
# (python3-feedparser), newsboat (a terminal feed reader, run headless), html5lib
# (python3-html5lib), and Chromium (the browser tests in tests/browser/, driven by
# playwright-core). Idempotent; needs root.
set -e
if command -v xmllint >/dev/null && command -v jing >/dev/null && command -v chromium >/dev/null \
  && command -v newsboat >/dev/null \
  && /usr/bin/python3 -c 'import feedparser, html5lib' 2>/dev/null; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends libxml2-utils jing python3-feedparser python3-html5lib newsboat chromium >/dev/null
