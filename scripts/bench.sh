#!/usr/bin/env bash
# Macro benchmark: generate corpora, run `cqa check` on them, report contacts/s,
# MB/s and peak RSS (from /usr/bin/time -v), and ripgrep's raw scan of the same
# files for the same phrases as a yardstick. Prints a Markdown table.
#
#   scripts/bench.sh [SIZES...]        default: 10000 100000 1000000 (issue 7;
#                                      the 1M corpus and its output take ~16 GB of disk)
#   BENCH_DIR=/path scripts/bench.sh   where corpora go (default: target/bench)
#   WORKBOOKS=0 scripts/bench.sh       skip the second run, with workbooks
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [[ ${#sizes[@]} -eq 0 ]] && sizes=(10000 100000 1000000)
dir=${BENCH_DIR:-target/bench}
mkdir -p "$dir"
cargo build --release --quiet
bin=target/release/cqa
# The phrases of the bank scorecard, for ripgrep.
python3 - > "$dir/phrases.txt" <<'PY'
import json
def walk(r):
    if isinstance(r, dict):
        for k in ("any", "all"):
            for p in r.get(k, []) if r.get("type") == "phrase" else []:
                yield p
        for v in r.values():
            yield from walk(v)
    elif isinstance(r, list):
        for v in r:
            yield from walk(v)
card = json.load(open("scorecards/bank-voice-ru.json"))
for p in sorted(set(walk(card["sections"]))):
    print(p)
PY
peak() { grep "Maximum resident set size" "$1" | awk '{print $6}'; }
wall() { grep "Elapsed (wall clock)" "$1" | awk '{print $8}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
echo "| contacts | input MB | check s | contacts/s | MB/s | peak RSS MB | + workbooks s | peak RSS MB | rg -c -F s | check / rg |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  corpus="$dir/gen-$n"
  [[ -f "$corpus/truth.jsonl" ]] || "$bin" gen --contacts "$n" --agents $(( n / 200 + 10 )) --seed 1 --out "$corpus" >/dev/null
  bytes=$(du -sb "$corpus/contacts" | awk '{print $1}')
  # ripgrep first: both then read the corpus from the page cache.
  rg_s="-"; ratio="-"
  if command -v rg >/dev/null; then
    /usr/bin/time -v rg -c -F -i -f "$dir/phrases.txt" "$corpus/contacts" > /dev/null 2> "$dir/rg-$n.txt" || true
    rg_s=$(wall "$dir/rg-$n.txt")
  fi
  /usr/bin/time -v "$bin" check "$corpus/contacts" --out "$dir/out-$n" --force --quiet --no-workbooks 2> "$dir/time-$n.txt"
  s=$(wall "$dir/time-$n.txt"); rss=$(( $(peak "$dir/time-$n.txt") / 1024 ))
  wb_s="-"; wb_rss="-"
  if [[ "${WORKBOOKS:-1}" == 1 ]]; then
    /usr/bin/time -v "$bin" check "$corpus/contacts" --out "$dir/out-$n" --force --quiet 2> "$dir/time-wb-$n.txt"
    wb_s=$(wall "$dir/time-wb-$n.txt"); wb_rss=$(( $(peak "$dir/time-wb-$n.txt") / 1024 ))
  fi
  [[ "$rg_s" != "-" ]] && ratio=$(python3 -c "print(f'{$s/max($rg_s,0.001):.0f}x')")
  python3 -c "print(f'| {$n:,} | {$bytes/1e6:.0f} | {$s:.2f} | {$n/$s:,.0f} | {$bytes/1e6/$s:.0f} | $rss | $wb_s | $wb_rss | $rg_s | $ratio |')"
done
