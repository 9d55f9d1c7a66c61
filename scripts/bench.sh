#!/usr/bin/env bash
# Macro benchmark: generate corpora, run `cqa check` on them, report contacts/s,
# MB/s and peak RSS (from /usr/bin/time -v), and ripgrep's raw scan of the same
# files for the same phrases as a yardstick. Prints a Markdown table.
#
#   scripts/bench.sh [SIZES...]        default: 10000 100000 1000000 (issue 7;
#                                      the 1M corpus and its output take ~16 GB of disk)
#   BENCH_DIR=/path scripts/bench.sh   where corpora go (default: target/bench)
#   WORKBOOKS=0 scripts/bench.sh       skip the second run, with workbooks
#   RUNS=3 scripts/bench.sh            time each command 3 times and report the median
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
# timed OK NAME COMMAND...: runs the command RUNS times under /usr/bin/time -v (the
# last run's report kept in $dir/NAME.txt); sets T (median seconds) and RSS (largest,
# KB). An exit code above OK stops the benchmark (ripgrep exits 1 when nothing matched).
timed() {
  local ok=$1 name=$2; shift 2
  local times=() rss=0 r rc
  for _ in $(seq "$runs"); do
    rc=0
    /usr/bin/time -v "$@" > /dev/null 2> "$dir/$name.txt" || rc=$?
    if (( rc > ok )); then
      echo "$* failed (exit $rc); its output is in $dir/$name.txt" >&2
      exit 1
    fi
    times+=("$(wall "$dir/$name.txt")")
    r=$(peak "$dir/$name.txt"); (( r > rss )) && rss=$r
  done
  T=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {if (NR%2) m=a[(NR+1)/2]; else m=(a[NR/2]+a[NR/2+1])/2; printf "%.2f\n", m}')
  RSS=$rss
}
declare -A check_s wb_s_of
echo "| contacts | input MB | check s | contacts/s | MB/s | peak RSS MB | + workbooks s | peak RSS MB | rg -c -F s | check / rg |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  corpus="$dir/gen-$n"
  [[ -f "$corpus/truth.jsonl" ]] || "$bin" gen --contacts "$n" --agents $(( n / 200 + 10 )) --seed 1 --out "$corpus" >/dev/null
  bytes=$(du -sb "$corpus/contacts" | awk '{print $1}')
  # ripgrep first: both then read the corpus from the page cache.
  rg_s="-"; ratio="-"
  if command -v rg >/dev/null; then
    timed 1 "rg-$n" rg -c -F -i -f "$dir/phrases.txt" "$corpus/contacts"
    rg_s=$T
  fi
  timed 0 "time-$n" "$bin" check "$corpus/contacts" --out "$dir/out-$n" --force --quiet --no-workbooks
  s=$T; rss=$(( RSS / 1024 )); check_s[$n]=$s
  wb_s="-"; wb_rss="-"
  if [[ "${WORKBOOKS:-1}" == 1 ]]; then
    timed 0 "time-wb-$n" "$bin" check "$corpus/contacts" --out "$dir/out-$n" --force --quiet
    wb_s=$T; wb_rss=$(( RSS / 1024 )); wb_s_of[$n]=$wb_s
  fi
  [[ "$rg_s" != "-" ]] && ratio=$(python3 -c "print(f'{$s/max($rg_s,0.001):.0f}x')")
  python3 -c "print(f'| {$n:,} | {$bytes/1e6:.0f} | {$s:.2f} | {$n/$s:,.0f} | {$bytes/1e6/$s:.0f} | $rss | $wb_s | $wb_rss | $rg_s | $ratio |')"
done
# Growth between consecutive sizes (issue 7: 1M at most 11x the time of 100k).
prev=""
for n in "${sizes[@]}"; do
  if [[ -n "$prev" ]]; then
    python3 -c "print(f'{$n:,} / {$prev:,}: check {${check_s[$n]}/max(${check_s[$prev]},0.001):.1f}x' + ('' if '${wb_s_of[$n]:-}' == '' else f', with workbooks {${wb_s_of[$n]:-1}/max(${wb_s_of[$prev]:-1},0.001):.1f}x'))"
  fi
  prev=$n
done
