#!/usr/bin/python3
"""Reads a feed with newsboat (Debian newsboat), headless, and prints what it kept, as JSON: the
feed's title and link, and per item (in document order) guid, title, link, author,
pubDate (Unix seconds), content, enclosure url and type. newsboat is a terminal reader: it gets the
document through an `exec:` URL in a throwaway urls file, `-x reload` fetches it without a screen,
and its SQLite cache is what it would show. Exits 1 when newsboat kept no feed (it could not read
the document); prints `not installed: newsboat` and exits 3 when newsboat is missing.
usage: newsboat_check.py FILE"""
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile


def main(path):
    newsboat = shutil.which('newsboat')
    if newsboat is None:
        print('not installed: newsboat', file=sys.stderr)
        sys.exit(3)
    with tempfile.TemporaryDirectory(prefix='syndicate-newsboat-') as home:
        source = f'exec:cat {shlex.quote(os.path.abspath(path))}'
        urls = os.path.join(home, 'urls')
        with open(urls, 'w', encoding='utf-8') as f:
            f.write(json.dumps(source) + '\n')
        config = os.path.join(home, 'config')
        open(config, 'w').close()
        cache = os.path.join(home, 'cache.db')
        log = os.path.join(home, 'log')
        run = subprocess.run(
            [newsboat, '-u', urls, '-c', cache, '-C', config, '-l', '3', '-d', log, '-x', 'reload'],
            env={**os.environ, 'HOME': home, 'XDG_CONFIG_HOME': home, 'XDG_DATA_HOME': home},
            capture_output=True, text=True, timeout=60,
        )
        db = sqlite3.connect(cache)
        feed = db.execute('SELECT title, url FROM rss_feed WHERE rssurl = ?', (source,)).fetchone()
        # newsboat stores a document's items last first: newest rowid first is document order.
        items = [
            {'guid': r[0], 'title': r[1], 'link': r[2], 'author': r[3], 'pubDate': r[4], 'content': r[5],
             'enclosure_url': r[6], 'enclosure_type': r[7]}
            for r in db.execute(
                'SELECT guid, title, url, author, pubDate, content, enclosure_url, enclosure_type '
                'FROM rss_item WHERE feedurl = ? ORDER BY id DESC', (source,))
        ]
        db.close()
        if feed is None:
            with open(log, encoding='utf-8', errors='replace') as f:
                errors = [line for line in f if 'ERROR' in line]
            print(json.dumps({'error': 'newsboat kept no feed', 'stderr': run.stderr, 'log': errors}))
            sys.exit(1)
        print(json.dumps({'feed': {'title': feed[0], 'link': feed[1]}, 'items': items}))


if __name__ == '__main__':
    main(sys.argv[1])
