#!/usr/bin/env bash
# Interleaved A/B timing of two cqa binaries on the same arguments: on a
# shared, noisy machine, runs of A and B alternate so that both see the same
# conditions. Prints each binary's wall and user seconds per run, and the medians.
#
#   scripts/ab.sh OLD_BINARY NEW_BINARY RUNS cqa-arguments...
#   e.g. scripts/ab.sh /tmp/cqa-old target/release/cqa 3 check target/bench/gen-100000/contacts \
#            --out /tmp/ab --force --quiet --no-workbooks
set -euo pipefail
a=$1 b=$2 n=$3; shift 3
for _ in $(seq "$n"); do
  for bin in "$a" "$b"; do
    /usr/bin/time -f "$bin %e %U %M" "$bin" "$@" 2>&1 >/dev/null | tail -1
  done
done | python3 -c '
import sys, statistics
runs = {}
for line in sys.stdin:
    name, wall, user, rss = line.split()
    runs.setdefault(name, []).append((float(wall), float(user), int(rss)))
for name, r in runs.items():
    w = [x[0] for x in r]; u = [x[1] for x in r]
    print(f"{name}: wall {w} median {statistics.median(w):.2f} s; user {u} median {statistics.median(u):.2f} s; peak RSS {max(x[2] for x in r) // 1024} MB")
'
