#!/usr/bin/env python3
"""Wrong-password login flood against a local rehearse server, for measuring memory.

Usage: start a server (`rehearse serve --bind 127.0.0.1:PORT ...`), register the user
`flood` (any password), then run `python3 scripts/login_flood.py PORT [REQUESTS] [CONCURRENCY]`
and read the server's peak RSS with `grep VmHWM /proc/<pid>/status`. Talks only to
127.0.0.1; stops after REQUESTS requests (default 640, 64 at a time).
"""
import concurrent.futures
import json
import sys
import time
import urllib.request

port = int(sys.argv[1])
total = int(sys.argv[2]) if len(sys.argv) > 2 else 640
width = int(sys.argv[3]) if len(sys.argv) > 3 else 64


def attempt(_):
    body = json.dumps({"username": "flood", "password": "wrong wrong wrong"}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/login", data=body, headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception as e:  # connection refused, time-out
        return type(e).__name__


start = time.time()
with concurrent.futures.ThreadPoolExecutor(width) as pool:
    results = list(pool.map(attempt, range(total)))
counts = {code: results.count(code) for code in set(results)}
print(f"{total} wrong logins, {width} at a time, in {time.time() - start:.1f} s: {counts}")
