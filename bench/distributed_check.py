#!/usr/bin/env python3
"""Issue 16's bar on this machine: 2 ranks x 1 thread against 1 rank x 2 threads, and the model's prediction of the
2-rank speed from inputs measured apart from the 2-rank run (docs/distributed.md, "This machine").

The model for one synchronous step of 2 ranks, each on its own core with one thread:

    T2 = E[max of 2 draws of one rank's DDP step] + t_iallreduce(S)        speed = 2 * 64 / T2

- E[max of 2 draws]: `mpirun -np 1 ... bench W --distributed` (DDP with no peer: hooks, bucket copies and averaging
  included, no all-reduce), which reports `profile_ms.step_expected_max_of_2` from its per-step times: a synchronous
  step runs at the pace of the slower rank.
- t_iallreduce(S): Open MPI's MPI_Iallreduce + wait of the model's S gradient bytes between two processes and nothing
  else (`bench/mpi/allreduce.c ... i`), the call DDP makes.
Neither input comes from a 2-rank training run. Each round runs, in this order: the two inputs, the 2-rank run, the
1-rank x 2-thread run; rounds alternate so drift hits every layout alike. Medians of 5 repetitions per run.

Run from a clone whose ./nabla is built, on a quiet machine, with Open MPI and mpicc installed:
    python3 bench/distributed_check.py [--workloads mlp-train,cnn-train] [--rounds 3] [--out results.jsonl]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

MPIRUN = ["mpirun", "--allow-run-as-root", "--bind-to", "core"]
ONE_THREAD = ["-x", "DOTNET_PROCESSOR_COUNT=1"]


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"distributed_check: '{' '.join(cmd)}' exited {p.returncode}:\n{p.stderr[-2000:]}")
    return p.stdout


def bench_lines(out):
    rows = {}
    for line in out.splitlines():
        i = line.find('{"workload')          # mpirun may prefix a rank's output with escape codes
        if i >= 0:
            r = json.loads(line[i:])
            rows[r["workload"]] = r
    return rows


def allreduce_ms(exe, floats):
    out = run(MPIRUN + ["-np", "2", exe, str(floats), "300", "i"])
    m = re.search(r"median ([0-9.]+) ms", out)
    if not m:
        sys.exit(f"distributed_check: no median in allreduce output: {out!r}")
    return float(m.group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workloads", default="mlp-train,cnn-train")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--nabla", default="./nabla")
    ap.add_argument("--out", help="also append every round's figures as JSON lines here")
    a = ap.parse_args()
    exe = "/tmp/nabla-allreduce"
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mpi", "allreduce.c")
    run(["mpicc", "-O2", src, "-o", exe])
    w, reps = a.workloads, str(a.reps)
    table = []
    for r in range(1, a.rounds + 1):
        solo = bench_lines(run(MPIRUN + ["-np", "1"] + ONE_THREAD + [a.nabla, "bench", w, "--distributed", "--reps", reps]))
        iar = {name: allreduce_ms(exe, round(row["settings"]["gradient_mib"] * 2**20 / 4)) for name, row in solo.items()}
        two = bench_lines(run(MPIRUN + ["-np", "2"] + ONE_THREAD + [a.nabla, "bench", w, "--distributed", "--reps", reps]))
        one2 = bench_lines(run([a.nabla, "bench", w, "--reps", reps]))
        for name in solo:
            c = solo[name]["profile_ms"]["step_expected_max_of_2"]
            batch = two[name]["settings"]["global_batch"]
            predicted = batch / ((c + iar[name]) / 1e3)
            row = {"round": r, "workload": name, "expected_max_of_2_ms": c, "iallreduce_ms": iar[name],
                   "predicted_2x1": predicted, "measured_2x1": two[name]["value"],
                   "allreduce_wait_in_step_ms": two[name]["profile_ms"]["allreduce_wait"],
                   "measured_1x2": one2[name]["value"], "error_pct": 100 * (two[name]["value"] / predicted - 1)}
            table.append(row)
            print(f"round {r} {name}: E[max2] {c:.3f} ms + iallreduce {iar[name]:.3f} ms -> predicted {predicted:,.0f}; "
                  f"measured 2x1 {row['measured_2x1']:,.0f} (error {row['error_pct']:+.1f} %, wait in step "
                  f"{row['allreduce_wait_in_step_ms']:.3f} ms); 1x2 {row['measured_1x2']:,.0f} samples/s", flush=True)
            if a.out:
                with open(a.out, "a") as f:
                    f.write(json.dumps(row) + "\n")
    print("\n| workload | predicted 2 ranks x 1 thread | measured 2 x 1 | model error | measured 1 rank x 2 threads | 2x1 / 1x2 |")
    print("|---|---|---|---|---|---|")
    for name in dict.fromkeys(t["workload"] for t in table):
        rows = [t for t in table if t["workload"] == name]
        med = lambda k: statistics.median(t[k] for t in rows)
        errs = " / ".join(f"{t['error_pct']:+.0f} %" for t in rows)
        print(f"| {name} | {med('predicted_2x1'):,.0f} | {med('measured_2x1'):,.0f} | {errs} | {med('measured_1x2'):,.0f} | "
              f"{med('measured_2x1') / med('measured_1x2'):.2f} |")


if __name__ == "__main__":
    main()
