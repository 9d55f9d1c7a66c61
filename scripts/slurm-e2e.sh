#!/usr/bin/env bash
# End-to-end run of cqa on a real batch engine: a one-node Slurm on localhost
# (Debian's slurm-wlm and munge) runs `cqa check --shard $SLURM_ARRAY_TASK_ID/4`
# as a job array, then `cqa report` over the four shards as a job depending on
# it, and the merged workbooks must equal a single run's: every XML part of
# every workbook (docProps aside) byte for byte, but the summary's Overview,
# which names the results files read (a row as tall as that list) and when.
#
#   scripts/slurm-e2e.sh            (as root; CONTACTS=3000 by default)
#   CQA=/path/to/cqa scripts/slurm-e2e.sh
#
# Not part of `cargo test`: .ci/run runs it when CQA_SLURM_E2E=1. It installs
# nothing: `apt-get install slurm-wlm munge` first. It starts its own munged,
# slurmctld and slurmd (own socket, ports, state and spool folders under a
# temporary folder) and stops exactly those, by pid, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
for tool in munged slurmctld slurmd sbatch sinfo python3; do
  command -v "$tool" >/dev/null || { echo "slurm-e2e: $tool not found (apt-get install slurm-wlm munge)" >&2; exit 2; }
done
[[ $(id -u) == 0 ]] || { echo "slurm-e2e: run as root (the daemons run as root here)" >&2; exit 2; }
if [[ -z "${CQA:-}" ]]; then
  cargo build --release --quiet
  CQA=${CARGO_TARGET_DIR:-$repo/target}/release/cqa
fi
cqa=$(realpath "$CQA")
contacts=${CONTACTS:-3000}
work=$(mktemp -d /tmp/cqa-slurm-e2e.XXXXXX)
pids=()
stop() {
  local rc=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f "$work/munged.pid" ]] && kill "$(cat "$work/munged.pid")" 2>/dev/null || true
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [[ $rc == 0 ]]; then rm -rf "$work"; else echo "slurm-e2e: FAILED (rc $rc); logs kept in $work" >&2; fi
}
trap stop EXIT

echo "slurm-e2e: $contacts generated contacts, a single run, then 4 shards on Slurm (in $work)"
"$cqa" gen --contacts "$contacts" --agents 20 --seed 1 --out "$work/gen" >/dev/null
cp -r samples/voice samples/chat "$work/gen/contacts/"
input=$work/gen/contacts
"$cqa" check "$input" --scorecard "$repo/scorecards" --out "$work/single" --quiet

# munge with its own key and socket.
mkdir -p "$work/munge" "$work/state" "$work/spool"
chmod 700 "$work/munge"
mungekey --create --keyfile="$work/munge/munge.key" 2>/dev/null \
  || dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
munged --force --socket="$work/munge/sock" --key-file="$work/munge/munge.key" \
  --pid-file="$work/munged.pid" --log-file="$work/munged.log" --seed-file="$work/munge/seed"

host=$(hostname -s)
port=$(( 17000 + RANDOM % 2000 ))
export SLURM_CONF=$work/slurm.conf
cat > "$SLURM_CONF" <<EOF
ClusterName=cqa-e2e
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$(( port + 1 ))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/sock
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=e2e Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -f "$SLURM_CONF" > "$work/slurmctld.out" 2>&1 & pids+=($!)
slurmd -D -f "$SLURM_CONF" > "$work/slurmd.out" 2>&1 & pids+=($!)
for _ in $(seq 60); do
  state=$(sinfo -h -o %t 2>/dev/null || true)
  [[ "$state" == idle* || "$state" == mix* ]] && break
  sleep 1
done
[[ "$state" == idle* || "$state" == mix* ]] || { echo "slurm-e2e: the node did not come up (state '$state')" >&2; exit 1; }
echo "slurm-e2e: Slurm up on $host (port $port)"

# The job array: task K reads and scores its own share.
array=$(sbatch --parsable --array=1-4 --chdir="$repo" --output="$work/check-%a.out" --wrap \
  "$cqa check $input --scorecard $repo/scorecards --shard \${SLURM_ARRAY_TASK_ID}/4 --out $work/shard-\${SLURM_ARRAY_TASK_ID} --quiet --no-workbooks")
# The report, once every task has succeeded.
sbatch --wait --dependency="afterok:$array" --chdir="$repo" --output="$work/report.out" --wrap \
  "$cqa report $work/shard-1 $work/shard-2 $work/shard-3 $work/shard-4 --out $work/merged --quiet" >/dev/null
for k in 1 2 3 4; do
  [[ -f "$work/shard-$k/results.jsonl" ]] || { echo "slurm-e2e: task $k wrote no results; see $work/check-$k.out" >&2; exit 1; }
done
[[ -f "$work/merged/summary.xlsx" ]] || { echo "slurm-e2e: the report job wrote no summary; see $work/report.out" >&2; exit 1; }

python3 - "$work" <<'PY'
import json, os, re, sys, zipfile
work = sys.argv[1]
single, merged = os.path.join(work, "single"), os.path.join(work, "merged")
total = os.path.getsize(os.path.join(work, "gen/contacts/contacts-0001.jsonl"))
for k in range(1, 5):
    run = json.load(open(os.path.join(work, f"shard-{k}/run.json")))
    print(f"slurm-e2e: shard {k}/4: {run['processed']} contacts, {run['bytes_read']:,} bytes of input "
          f"read, {len(run.get('line_ranges', []))} byte ranges of the large .jsonl")
def books(d):
    return sorted(os.path.relpath(os.path.join(r, f), d) for r, _, fs in os.walk(d) for f in fs if f.endswith(".xlsx"))
a, b = books(single), books(merged)
assert a == b, f"workbooks differ: {set(a) ^ set(b)}"
strings = lambda x: re.findall(rb"<t[^>]*>(.*?)</t>", x, re.S)
bad = []
for name in a:
    za, zb = zipfile.ZipFile(os.path.join(single, name)), zipfile.ZipFile(os.path.join(merged, name))
    pa = sorted(n for n in za.namelist() if not n.startswith("docProps/"))
    pb = sorted(n for n in zb.namelist() if not n.startswith("docProps/"))
    if pa != pb:
        bad.append(f"{name}: parts {set(pa) ^ set(pb)}")
        continue
    for part in pa:
        x, y = za.read(part), zb.read(part)
        if x == y:
            continue
        if name == "summary.xlsx" and part == "xl/sharedStrings.xml":
            # The Overview names the results files read, and when.
            sx, sy = strings(x), strings(y)
            diff = [(p, q) for p, q in zip(sx, sy) if p != q]
            allowed = all(p.endswith(b"results.jsonl") or re.fullmatch(rb"\d{4}-\d\d-\d\d \d\d:\d\d", p) for p, _ in diff)
            if len(sx) == len(sy) and allowed:
                continue
        if name == "summary.xlsx" and part == "xl/worksheets/sheet1.xml":
            # The Overview: its results-file row is as tall as that list.
            height = lambda z: re.sub(rb' ht="[0-9.]+" customHeight="1"', b"", z)
            if height(x) == height(y):
                continue
        bad.append(f"{name}: {part}")
if bad:
    print("slurm-e2e: merged workbooks differ from the single run's:\n  " + "\n  ".join(bad[:20]))
    sys.exit(1)
print(f"slurm-e2e: OK: {len(a)} workbooks from the Slurm array + report equal the single run's")
PY
