#!/usr/bin/python3
"""Reads a feed with Universal Feed Parser (Debian python3-feedparser) and prints what a reader
sees, as JSON: bozo flag, feed title/link/updated, and per entry id, link, title, dates, authors,
tags and content. usage: feedparser_check.py FILE"""
import json
import sys
import warnings

warnings.filterwarnings('ignore', category=DeprecationWarning)
import feedparser  # noqa: E402
import feedparser.api  # noqa: E402

# Prefer stdlib expat, as a plain pip install of feedparser would.
feedparser.api.PREFERRED_XML_PARSERS = []


def main(path):
    d = feedparser.parse(path)
    out = {
        'version': d.get('version'),
        'bozo': bool(d.bozo),
        'bozo_exception': repr(d.get('bozo_exception')) if d.bozo else None,
        'feed': {
            'title': d.feed.get('title'),
            'link': d.feed.get('link'),
            'updated': d.feed.get('updated'),
            'language': d.feed.get('language'),
            'links': [{'rel': l.get('rel'), 'href': l.get('href')} for l in d.feed.get('links', [])],
            'image': (d.feed.get('image') or {}).get('href'),
            'icon': d.feed.get('icon'),
            'logo': d.feed.get('logo'),
            'itunes_explicit': d.feed.get('itunes_explicit'),
            'owner_email': (d.feed.get('publisher_detail') or {}).get('email'),
            'tags': [t.get('term') for t in d.feed.get('tags', [])],
        },
        'entries': [],
    }
    for e in d.entries:
        content = e.get('content') or []
        out['entries'].append({
            'id': e.get('id'),
            'link': e.get('link'),
            'title': e.get('title'),
            'published_parsed': list(e.published_parsed[:6]) if e.get('published_parsed') else None,
            'updated_parsed': list(e.updated_parsed[:6]) if e.get('updated_parsed') else None,
            'authors': [a.get('name') for a in e.get('authors', [])],
            'tags': [t.get('term') for t in e.get('tags', [])],
            'tag_labels': [t.get('label') or t.get('term') for t in e.get('tags', [])],
            'content': content[0].get('value') if content else None,
            'summary': e.get('summary'),
            'language': (e.get('title_detail') or {}).get('language') or e.get('language'),
            'enclosures': [{'href': l.get('href'), 'type': l.get('type'), 'length': l.get('length')}
                           for l in e.get('links', []) if l.get('rel') == 'enclosure'],
            'media_content': [m.get('url') for m in e.get('media_content', [])],
            'media_thumbnail': [m.get('url') for m in e.get('media_thumbnail', [])],
            'itunes_duration': e.get('itunes_duration'),
        })
    print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv[1])
