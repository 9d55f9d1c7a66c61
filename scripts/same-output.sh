#!/usr/bin/env bash
# Do two builds of cqa write the same bytes? (issue 20: a redesign must not
# change a single result.)
#
#   scripts/same-output.sh OLD NEW
#
# OLD and NEW are each a cqa binary or a git revision (a revision is built in
# a temporary worktree with its own target folder). Both run the same jobs:
#   - check on the bundled samples (ru), and again with --lang en --detail full;
#   - check on a generated corpus (3 000 contacts, 2 threads) and `report` on it;
#   - check on the personal-data corpus with controllers' evaluations;
#   - sample, forms and calibrate;
# then every file they wrote is compared: results, rejected and evaluation
# lists byte for byte, run.json without its clock fields (started_at,
# finished_at, seconds) and process_read_bytes (it grows with the binary's
# path), every workbook part by part without docProps/core.xml (the creation
# time) and with the run's date and time shown in it masked. Exit 0 when all match; else
# the differing files are listed with the first lines of their difference.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
[ $# -eq 2 ] || { echo "usage: scripts/same-output.sh OLD NEW (each a cqa binary or a git revision)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cqa-same.XXXXXX")
KEEP=${CQA_SAME_KEEP:-}
cleanup() {
    for wt in "$WORK"/wt-*; do
        [ -d "$wt" ] && git worktree remove --force "$wt" >/dev/null 2>&1 || true
    done
    if [ -z "$KEEP" ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT

binary() { # $1 = binary or revision, $2 = label
    if [ -x "$1" ] && [ -f "$1" ]; then
        echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
        return
    fi
    local rev
    rev=$(git rev-parse --verify --quiet "$1^{commit}") || { echo "same-output: $1 is neither a binary nor a git revision" >&2; exit 2; }
    local wt="$WORK/wt-$2"
    git worktree add --detach --quiet "$wt" "$rev"
    echo "same-output: building $1 ($rev) in $wt" >&2
    (cd "$wt" && CARGO_TARGET_DIR="$wt/target" cargo build --release --quiet) >&2
    echo "$wt/target/release/cqa"
}

OLD=$(binary "$1" old)
NEW=$(binary "$2" new)

# The same corpus for both: generated once, by the old build.
"$OLD" gen --contacts 3000 --agents 40 --seed 7 --out "$WORK/corpus" >/dev/null

jobs() { # $1 = binary, $2 = output folder
    local cqa=$1 out=$2
    mkdir -p "$out"
    cd "$ROOT"
    set +e
    "$cqa" check samples -o "$out/samples" -q; echo "check samples: $?" >>"$out/exit-codes"
    "$cqa" check samples --lang en --detail full -o "$out/samples-en" -q; echo "check samples en: $?" >>"$out/exit-codes"
    "$cqa" check "$WORK/corpus" -o "$out/corpus" --threads 2 -q; echo "check corpus: $?" >>"$out/exit-codes"
    "$cqa" report "$out/corpus" -o "$out/corpus-report" -q; echo "report corpus: $?" >>"$out/exit-codes"
    "$cqa" check tests/data/pii_adversarial/contacts --evaluations tests/data/pii_adversarial/evaluations \
        -o "$out/pii" -q; echo "check pii: $?" >>"$out/exit-codes"
    "$cqa" sample samples --per 2 --seed 3 -o "$out/sample" -q; echo "sample: $?" >>"$out/exit-codes"
    "$cqa" forms --sample "$out/sample/sample.csv" --contacts samples --evaluators "Иванова А.,Петров Б." \
        -o "$out/forms" -q; echo "forms: $?" >>"$out/exit-codes"
    "$cqa" forms --sample "$out/sample/sample.csv" --contacts samples --evaluators "Иванова А.,Петров Б." \
        --calibration -o "$out/forms-calibration" -q; echo "forms calibration: $?" >>"$out/exit-codes"
    "$cqa" calibrate --evaluations tests/data/pii_adversarial/evaluations --contacts tests/data/pii_adversarial/contacts \
        -o "$out/calibrate" -q >/dev/null 2>&1; echo "calibrate: $?" >>"$out/exit-codes"
    set -e
}

echo "same-output: running the old build" >&2
jobs "$OLD" "$WORK/old"
echo "same-output: running the new build" >&2
jobs "$NEW" "$WORK/new"

# Each file in a comparable form: workbooks unpacked (creation time dropped),
# run.json without clocks and absolute paths.
TODAY=$(date +%Y-%m-%d)
TODAY_RU=$(date +%d\\.%m\\.%Y)
normalise() { # $1 = run folder
    local dir=$1
    find "$dir" -name '*.xlsx' -print0 | while IFS= read -r -d '' x; do
        mkdir -p "$x.d"
        (cd "$x.d" && unzip -q -o "$x" && rm -f docProps/core.xml)
        # The check's date and time shown in the overview (to the minute).
        find "$x.d" -name '*.xml' -print0 | xargs -0 -r sed -i -E "s/($TODAY|$TODAY_RU) [0-9]{2}:[0-9]{2}/<when>/g"
        rm -f "$x"
    done
    find "$dir" -name 'run.json' -print0 | while IFS= read -r -d '' j; do
        python3 - "$j" "$dir" <<'PY'
import json, sys
path, root = sys.argv[1], sys.argv[2]
doc = json.load(open(path, encoding="utf-8"))
def clean(v):
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items() if k not in ("started_at", "finished_at", "seconds", "elapsed_s", "elapsed_ms", "elapsed", "process_read_bytes")}
    if isinstance(v, list):
        return [clean(x) for x in v]
    if isinstance(v, str):
        return v.replace(root, "<run>")
    return v
json.dump(clean(doc), open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=1)  # key order kept: it is part of the contract
PY
    done
}
normalise "$WORK/old"
normalise "$WORK/new"
# Absolute work-folder paths differ between the two runs (old/ and new/).
grep -rlZ "$WORK/old" "$WORK/old" 2>/dev/null | xargs -0 -r sed -i "s#$WORK/old#<out>#g"
grep -rlZ "$WORK/new" "$WORK/new" 2>/dev/null | xargs -0 -r sed -i "s#$WORK/new#<out>#g"

files=$(cd "$WORK/old" && find . -type f | wc -l)
if diff -r -q "$WORK/old" "$WORK/new" >"$WORK/diff.txt"; then
    echo "same-output: identical ($files files, workbooks compared part by part)"
    exit 0
fi
echo "same-output: DIFFERENT" >&2
cat "$WORK/diff.txt" >&2
diff -r "$WORK/old" "$WORK/new" 2>/dev/null | head -40 >&2 || true
KEEP=${KEEP:-1}
exit 1
