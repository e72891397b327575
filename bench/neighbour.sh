#!/usr/bin/env bash
# C₁ with a neighbour (docs/distributed.md): the compute of one rank's step while an identical process runs on the
# other core, measured WITHOUT MPI. Two independent `./nabla bench W --threads 1` processes, each pinned to its own core
# with DOTNET_PROCESSOR_COUNT=1 (as a rank is), start together; each prints its median samples/s. Their step time is
# the 1-thread compute C₁ plus whatever the two processes cost each other through the shared L3 and memory bandwidth —
# the term the 2-rank model lacked — and it involves no all-reduce, so it is measured independently of the 2-rank
# result it predicts. Run from a clone whose ./nabla is built, on a quiet machine.
#   bash bench/neighbour.sh [workloads=mlp-train,cnn-train] [reps=5]
set -euo pipefail
W=${1:-mlp-train,cnn-train}
REPS=${2:-5}
dir=$(mktemp -d)
for core in 0 1; do
  DOTNET_PROCESSOR_COUNT=1 taskset -c "$core" ./nabla bench "$W" --reps "$REPS" --threads 1 --config "neighbour-core$core" > "$dir/$core.jsonl" &
done
wait
python3 - "$dir" <<'PY'
import json, sys, glob, statistics
rows = {}
for f in sorted(glob.glob(sys.argv[1] + "/*.jsonl")):
    for line in open(f):
        line = line.strip()
        if not line.startswith("{"): continue
        r = json.loads(line)
        rows.setdefault(r["workload"], []).append((r["value"], r["median_time_per_iter_ms"]))
for w, v in rows.items():
    rates = [x for x, _ in v]
    ms = [m for _, m in v]
    print(f"{w}: per process {', '.join(f'{x:,.0f}' for x in rates)} samples/s; step {', '.join(f'{m:.2f}' for m in ms)} ms; "
          f"C1 with a neighbour = {statistics.mean(ms):.2f} ms (mean of the two); sum {sum(rates):,.0f} samples/s")
PY
rm -rf "$dir"
