#!/usr/bin/env bash
# Does a warm judge cache slow the rule engine? (issue 19: within 1.3x.)
#
# Generates a corpus (cqa gen), warms a judge cache from an instant stand-in
# server (every answer `na`), then times `cqa check` with the bundled cards
# (judge criteria answered from the cache) against the same cards with the
# judge criteria made `manual`, in interleaved pairs, and prints the ratio
# of the medians.
#
#   scripts/judge-bench.sh [CONTACTS] [PAIRS]     default: 10000 3
#   WORKBOOKS=1 scripts/judge-bench.sh            time the workbooks too
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
pairs=${2:-3}
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/cqa
work=$(mktemp -d "${TMPDIR:-/tmp}/cqa-judge-bench.XXXXXX")
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
"$bin" gen --contacts "$n" --agents 50 --seed 7 --out "$work/corpus" >/dev/null
mkdir -p "$work/manual"
python3 - "$work/manual" <<'EOF'
import json, pathlib, sys
def walk(r):
    if isinstance(r, dict):
        if r.get("type") == "judge":
            r.clear()
            r["type"] = "manual"
        for v in list(r.values()):
            walk(v)
    elif isinstance(r, list):
        for v in r:
            walk(v)
for p in pathlib.Path("scorecards").glob("*.json"):
    d = json.loads(p.read_text(encoding="utf-8"))
    walk(d)
    (pathlib.Path(sys.argv[1]) / p.name).write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
EOF
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$port" <<'EOF' &
import http.server, json, sys
body = json.dumps({"choices": [{"message": {"role": "assistant",
    "content": "{\"answer\": \"na\", \"quote\": \"\", \"turn\": 0}"}}]}).encode()
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF
server=$!
sleep 1
wb=--no-workbooks
[ "${WORKBOOKS:-0}" = 1 ] && wb=
judge=(--judge-url "http://127.0.0.1:$port/v1" --judge-cache "$work/cache.sqlite")
"$bin" check "$work/corpus" --out "$work/warm" --quiet $wb "${judge[@]}"
echo "cache warmed: $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['judge']['questions'])" "$work/warm/run.json") questions"
kill "$server"; wait "$server" 2>/dev/null || true; server=""
t() { local s; s=$(date +%s.%N); "$@"; python3 -c "import sys,time; print(f'{time.time()-float(sys.argv[1]):.3f}')" "$s"; }
with=(); without=()
for i in $(seq 1 "$pairs"); do
    without+=("$(t "$bin" check "$work/corpus" -s "$work/manual" --out "$work/m$i" --quiet $wb)")
    with+=("$(t "$bin" check "$work/corpus" --out "$work/j$i" --quiet $wb "${judge[@]}")")
    python3 -c "import json,sys; j=json.load(open(sys.argv[1]))['judge']; assert j['requests']==0, j" "$work/j$i/run.json"
done
python3 - "${without[*]}" "${with[*]}" "$n" <<'EOF'
import statistics, sys
a = [float(x) for x in sys.argv[1].split()]
b = [float(x) for x in sys.argv[2].split()]
n = int(sys.argv[3])
ma, mb = statistics.median(a), statistics.median(b)
print(f"{n} contacts; manual instead of judge: {a} s (median {ma:.3f}); judge from a warm cache: {b} s (median {mb:.3f})")
print(f"ratio {mb / ma:.2f}x (limit 1.3x)")
EOF
