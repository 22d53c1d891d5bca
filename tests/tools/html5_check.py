#!/usr/bin/python3
"""Parses an HTML document with html5lib (the WHATWG parsing algorithm, Debian python3-html5lib)
and prints its parse errors as JSON: an empty list means a well-formed HTML5 document."""
import json
import sys

import html5lib

parser = html5lib.HTMLParser(strict=False)
with open(sys.argv[1], 'rb') as f:
    parser.parse(f)
print(json.dumps([{'line': pos[0], 'col': pos[1], 'error': err, 'data': data} for pos, err, data in parser.errors]))
