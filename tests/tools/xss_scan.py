#!/usr/bin/python3
"""Looks for anything that could run script in a document we serve, as a browser would read it.

The document is an HTML page, or a feed (RSS, Atom or JSON Feed) whose HTML strings (RSS
description and content:encoded, Atom content/summary/title of type html, JSON Feed content_html
and summary) are decoded and each parsed as the content of a <div>. Parsing is html5lib's (the
WHATWG algorithm, Debian python3-html5lib); XML is read with the standard library, JSON with json.
Prints a JSON list of findings: an empty list means nothing live was found."""
import json
import re
import sys
import xml.etree.ElementTree as ET

import html5lib

HTML_NS = 'http://www.w3.org/1999/xhtml'
ALWAYS_BAD = {'script', 'object', 'embed', 'applet', 'base', 'frame', 'frameset', 'portal', 'fencedframe'}
URL_ATTRS = {'href', 'src', 'action', 'formaction', 'data', 'poster', 'background', 'cite', 'lowsrc', 'dynsrc',
             'codebase', 'ping', 'xlink:href', 'longdesc', 'usemap', 'manifest', 'icon', 'profile', 'classid', 'archive'}
SAFE_DATA = re.compile(r'^data:image/(png|jpeg|gif|webp)[;,]', re.I)


def local(tag):
    return tag.split('}', 1)[1] if tag.startswith('{') else tag


def namespace(tag):
    return tag[1:].split('}', 1)[0] if tag.startswith('{') else HTML_NS


def bad_url(value):
    # What a browser's URL parser does first: strip C0 controls and spaces around, tabs and newlines inside.
    url = re.sub(r'[\t\n\r]', '', value).strip('\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12'
                                               '\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ').lower()
    if url.startswith(('javascript:', 'vbscript:', 'livescript:', 'mocha:')):
        return True
    return url.startswith('data:') and not SAFE_DATA.match(url)


def scan_tree(root, where, findings, page):
    # Iterative: a hostile document may nest deeply.
    stack = [(root, False)]
    while stack:
        el, in_head = stack.pop()
        if not isinstance(el.tag, str):
            continue
        name = local(el.tag)
        ns = namespace(el.tag)
        head = in_head or name == 'head'

        def report(what):
            findings.append({'where': where, 'element': name, 'namespace': ns, 'what': what})

        if name in ALWAYS_BAD:
            report('element')
        if ns != HTML_NS and name not in ('html',):
            report('foreign element')
        if name == 'style' and not (page and head):
            report('style element in content')
        if name == 'meta' and 'refresh' in (el.get('http-equiv') or '').lower():
            report('meta refresh')
        if name == 'meta' and not page:
            report('meta in content')
        if name == 'link' and not (page and head):
            report('link in content')
        if name == 'iframe' and el.get('sandbox') is None:
            report('iframe without sandbox')
        for attr, value in el.attrib.items():
            a = local(attr).lower()
            if a.startswith('on'):
                report('event handler ' + a)
            if a == 'srcdoc':
                report('srcdoc')
            if a == 'style' and not page:
                report('style attribute in content')
            if (a in URL_ATTRS or attr.endswith('}href')) and bad_url(value):
                report('%s=%r' % (a, value[:80]))
            if a in ('srcset', 'imagesrcset') and any(bad_url(c.strip().split(' ')[0]) for c in value.split(',') if c.strip()):
                report('srcset=%r' % value[:80])
        for child in list(el):
            stack.append((child, head))


def scan_fragment(html, where, findings):
    # An element tree of what html5lib builds for `html` as the content of a <div>.
    fragment = html5lib.parseFragment(html, container='div', treebuilder='etree', namespaceHTMLElements=True)
    scan_tree(fragment, where, findings, page=False)


def feed_strings(data):
    text = data.decode('utf-8')
    if text.lstrip().startswith('{'):
        feed = json.loads(text)
        for i, item in enumerate(feed.get('items', [])):
            for key in ('content_html',):  # summary is plain text in JSON Feed
                if isinstance(item.get(key), str):
                    yield 'items[%d].%s' % (i, key), item[key]
        return
    root = ET.fromstring(data)
    for el in root.iter():
        name = local(el.tag)
        ns = namespace(el.tag)
        text = el.text or ''
        if name in ('description', 'encoded') and ns in (HTML_NS, 'http://purl.org/rss/1.0/modules/content/'):
            yield name, text
        elif ns == 'http://www.w3.org/2005/Atom' and name in ('content', 'summary', 'title', 'subtitle', 'rights'):
            kind = el.get('type', 'text')
            if kind == 'html':
                yield 'atom:' + name, text
            elif kind == 'xhtml':
                yield 'atom:' + name, ''.join(ET.tostring(child, encoding='unicode') for child in el)


def scan_document(data):
    findings = []
    head = data.lstrip()[:200].lower()
    if head.startswith(b'{') or head.startswith(b'<?xml') or head.startswith(b'<rss') or head.startswith(b'<feed'):
        count = 0
        for where, html in feed_strings(data):
            scan_fragment(html, where, findings)
            count += 1
        return {'fragments': count, 'findings': findings}
    document = html5lib.parse(data, treebuilder='etree', namespaceHTMLElements=True)
    scan_tree(document, 'page', findings, page=True)
    return {'fragments': 1, 'findings': findings}


def main():
    with open(sys.argv[1], 'rb') as f:
        data = f.read()
    # Many documents in one run: {"documents": {"<name>": "<body>", ...}} gives {"<name>": result}.
    if data.startswith(b'{"documents":'):
        documents = json.loads(data)['documents']
        print(json.dumps({name: scan_document(body.encode('utf-8')) for name, body in documents.items()}))
    else:
        print(json.dumps(scan_document(data)))


main()
