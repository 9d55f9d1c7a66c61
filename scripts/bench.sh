#!/usr/bin/env bash
# Macro benchmark: generate corpora, run `cqa check` on them, report contacts/s,
# MB/s and peak RSS (from /usr/bin/time -v), and ripgrep's raw scan of the same
# files for the same phrases as a yardstick. Prints a Markdown table.
#
#   scripts/bench.sh [SIZES...]        default: 10000 100000 1000000 (issue 7;
#                                      the 1M corpus and its output take ~16 GB of disk)
#   BENCH_DIR=/path scripts/bench.sh   where corpora go (default: target/bench)
#   WORKBOOKS=0 scripts/bench.sh       skip the second run, with workbooks
#   RUNS=3 scripts/bench.sh            3 rounds, each running every size once; medians
#                                      (the machine is noisy; peak RSS is the largest)
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
runs=${RUNS:-1}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a whole number of at least 1, got '$runs'" >&2; exit 2; }
peak() { grep "Maximum resident set size" "$1" | awk '{print $6}'; }
wall() { grep "Elapsed (wall clock)" "$1" | awk '{print $8}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {if (NR%2) m=a[(NR+1)/2]; else m=(a[NR/2]+a[NR/2+1])/2; printf "%.2f\n", m}'; }
# run1 OK KEY COMMAND...: runs the command once under /usr/bin/time -v (its report kept
# in $dir/KEY.txt), adds its seconds to TIMES[KEY] and keeps the largest peak RSS (KB) in
# PEAK[KEY]. An exit code above OK stops the benchmark (ripgrep exits 1 when nothing matched).
declare -A TIMES PEAK BYTES
run1() {
  local ok=$1 key=$2; shift 2
  local rc=0 r
  /usr/bin/time -v "$@" > /dev/null 2> "$dir/$key.txt" || rc=$?
  if (( rc > ok )); then
    echo "$* failed (exit $rc); its output is in $dir/$key.txt" >&2
    exit 1
  fi
  TIMES[$key]+="$(wall "$dir/$key.txt") "
  r=$(peak "$dir/$key.txt"); (( r > ${PEAK[$key]:-0} )) && PEAK[$key]=$r
  return 0
}
for n in "${sizes[@]}"; do
  corpus="$dir/gen-$n"
  [[ -f "$corpus/.truth.jsonl" ]] || "$bin" gen --contacts "$n" --agents $(( n / 200 + 10 )) --seed 1 --out "$corpus" >/dev/null
  BYTES[$n]=$(du -sb "$corpus/contacts" | awk '{print $1}')
done
have_rg=0; command -v rg >/dev/null && have_rg=1
workbooks=${WORKBOOKS:-1}
# Rounds: each round runs every size once, so that the medians of all sizes, and the
# growth between them, come from the same minutes (the machine's speed moves between
# minutes by up to 1.5x).
for _ in $(seq "$runs"); do
  for n in "${sizes[@]}"; do
    corpus="$dir/gen-$n"
    # ripgrep first: both then read the corpus from the page cache.
    (( have_rg )) && run1 1 "rg-$n" rg -c -F -i -f "$dir/phrases.txt" "$corpus/contacts"
    run1 0 "time-$n" "$bin" check "$corpus/contacts" --out "$dir/out-$n" --force --quiet --no-workbooks
    [[ "$workbooks" == 1 ]] && run1 0 "time-wb-$n" "$bin" check "$corpus/contacts" --out "$dir/out-$n" --force --quiet
  done
done
echo "| contacts | input MB | check s | contacts/s | MB/s | peak RSS MB | + workbooks s | peak RSS MB | rg -c -F s | check / rg |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  s=$(median "${TIMES[time-$n]}"); rss=$(( PEAK[time-$n] / 1024 ))
  wb_s="-"; wb_rss="-"; rg_s="-"; ratio="-"
  if [[ "$workbooks" == 1 ]]; then
    wb_s=$(median "${TIMES[time-wb-$n]}"); wb_rss=$(( PEAK[time-wb-$n] / 1024 ))
  fi
  if (( have_rg )); then
    rg_s=$(median "${TIMES[rg-$n]}")
    ratio=$(python3 -c "print(f'{$s/max($rg_s,0.001):.0f}x')")
  fi
  python3 -c "print(f'| {$n:,} | {${BYTES[$n]}/1e6:.0f} | {$s:.2f} | {$n/$s:,.0f} | {${BYTES[$n]}/1e6/$s:.0f} | $rss | $wb_s | $wb_rss | $rg_s | $ratio |')"
done
# results.jsonl a contact (issue 21: at most 2 KB by default, `--detail failures`).
for n in "${sizes[@]}"; do
  r="$dir/out-$n/results.jsonl"
  [[ -f "$r" ]] && python3 -c "print(f'results.jsonl, {$n:,} contacts: {$(stat -c %s "$r")/$n/1024:.1f} KB a contact')"
done
# Growth between consecutive sizes (issue 7: 1M at most 11x the time of 100k): the
# median of each round's ratio, with the rounds' ratios.
prev=""
for n in "${sizes[@]}"; do
  if [[ -n "$prev" ]]; then
    python3 - "$n" "$prev" "${TIMES[time-$n]}" "${TIMES[time-$prev]}" "${TIMES[time-wb-$n]:-}" "${TIMES[time-wb-$prev]:-}" <<'PY'
import statistics, sys
n, prev = int(sys.argv[1]), int(sys.argv[2])
def growth(big, small):
    r = [b / max(s, 0.001) for b, s in zip(map(float, big.split()), map(float, small.split()))]
    return f"{statistics.median(r):.1f}x (rounds: {' '.join(f'{x:.1f}x' for x in r)})"
line = f"{n:,} / {prev:,}: check {growth(sys.argv[3], sys.argv[4])}"
if sys.argv[5].strip():
    line += f", with workbooks {growth(sys.argv[5], sys.argv[6])}"
print(line)
PY
  fi
  prev=$n
done
