#!/usr/bin/python3
"""Runs one checker script (argv[1]) for each document path read from stdin, in this one process,
and answers each with one line of JSON: {"code", "stdout", "stderr"}. A new Python for every
document spends most of its time importing feedparser or html5lib again; here they are imported
once and the script itself runs afresh each time, with its own argv, as it would on its own."""
import contextlib
import io
import json
import runpy
import sys
import traceback

script = sys.argv[1]
for line in sys.stdin:
    path = line.rstrip('\n')
    out, err, code = io.StringIO(), io.StringIO(), 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            sys.argv = [script, path]
            runpy.run_path(script, run_name='__main__')
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
    sys.__stdout__.write(json.dumps({'code': code, 'stdout': out.getvalue(), 'stderr': err.getvalue()}) + '\n')
    sys.__stdout__.flush()
