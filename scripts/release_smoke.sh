#!/usr/bin/env bash
# Runs a release binary the way the container image runs it (the Dockerfile's
# environment, questions beside it, the database in a data folder) and checks what the
# image relies on: `rehearse healthcheck` fails before the server is up and passes
# once it is, /metrics answers on its own port and not on the app's, and SIGTERM ends
# the process with status 0.
# Usage: scripts/release_smoke.sh path/to/rehearse
set -euo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; [ -n "${KEEP_LOG:-}" ] && cp "$work/stderr" "$KEEP_LOG"; rm -rf "$work"' EXIT
mkdir -p "$work/app" "$work/data"
cp -r "$root/questions" "$work/app/questions"
port=$((20000 + RANDOM % 20000))
export REHEARSE_BIND=0.0.0.0:$port \
  REHEARSE_DATABASE_URL=sqlite://$work/data/rehearse.db \
  REHEARSE_QUESTIONS=$work/app/questions \
  REHEARSE_METRICS_BIND=127.0.0.1:$((port + 1)) \
  REHEARSE_LOG_FORMAT=json \
  REHEARSE_SHUTDOWN_DRAIN=1

if "$bin" healthcheck 2>/dev/null; then
  echo "healthcheck passed with no server running" >&2
  exit 1
fi
(cd "$work/app" && exec "$bin" serve >"$work/stdout" 2>"$work/stderr") &
pid=$!
for _ in $(seq 1 60); do
  "$bin" healthcheck 2>/dev/null && break
  sleep 0.5
done
"$bin" healthcheck

python3 - "$port" <<'PY'
import json, sys, urllib.error, urllib.request
port = int(sys.argv[1])
with urllib.request.urlopen(f"http://127.0.0.1:{port}/health") as r:
    request_id = r.headers["X-Request-Id"]
    assert request_id, "no X-Request-Id"
with urllib.request.urlopen(f"http://127.0.0.1:{port + 1}/metrics") as r:
    text = r.read().decode()
assert 'rehearse_http_requests_total{method="GET",route="/health",status="200"}' in text, text
try:
    urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics")
    sys.exit("/metrics is served on the app's port too")
except urllib.error.HTTPError as e:
    assert e.code == 404, e.code
print(f"release binary: healthy, request id {request_id}, metrics on their own port")
PY

kill -TERM "$pid"
set +e
wait "$pid"
status=$?
set -e
[ "$status" -eq 0 ] || { echo "exit status $status after SIGTERM" >&2; cat "$work/stderr" >&2; exit 1; }
# Every log line is a JSON object, and the request lines carry the request id.
python3 - "$work/stderr" <<'PY'
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
answered = [l for l in lines if l.get("message") == "request answered"]
assert answered, "no request log line"
assert all(any("request_id" in s for s in l.get("spans", [])) for l in answered), answered[0]
print(f"release binary: {len(lines)} JSON log lines, stopped cleanly on SIGTERM")
PY
