#!/usr/bin/env python3
"""Side-by-side comparison of Nabla and the PyTorch peer, as ../shared/bench/README.md prescribes.

Runs `./nabla bench W` and the peer (`/usr/bin/python3 ../shared/bench/pytorch_reference.py --workload W --json`)
alternately (A B A B ...) for several rounds, one fresh process per run, the peer in its best environment
(default OMP_NUM_THREADS=2 for sgemm-* and conv-fwd-bwd, the "tuned" environment otherwise), appends every JSON
record to OUT/compare.jsonl and prints the medians and the ratio (nabla/peer for throughputs; for conv-fwd-bwd
also peer/nabla of the forward+backward time). Workloads the shared reference lacks (vgg11-infer) run on the peer's
side through bench/peer_extra.py, which imports the reference and reuses its helpers and environment.

Usage: python3 bench/compare.py --workloads sgemm-1024,conv-fwd-bwd --rounds 3 [--out bench-out]
"""
import argparse, json, os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER = os.path.join(ROOT, "..", "shared", "bench", "pytorch_reference.py")
PEER_EXTRA = os.path.join(ROOT, "bench", "peer_extra.py")
EXTRA_WORKLOADS = {"vgg11-infer"}
DEFAULT_ENV = {"OMP_NUM_THREADS": "2"}
TUNED_ENV = {"OMP_NUM_THREADS": "2", "OMP_WAIT_POLICY": "PASSIVE", "OPENBLAS_THREAD_TIMEOUT": "18",
             "GLIBC_TUNABLES": "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=17179869184"}


def peer_env(workload):
    return DEFAULT_ENV if workload.startswith("sgemm") or workload == "conv-fwd-bwd" else TUNED_ENV


def run(cmd, env_extra, clean_openblas=False):
    env = dict(os.environ)
    if clean_openblas:
        # OpenBLAS settings inherited from the caller's shell (a machine image may preset OPENBLAS_CORETYPE=Haswell,
        # AVX2 kernels at half the AVX-512 speed) would run the peer below its strength: the reference picks the
        # kernel family of this CPU itself when none is set.
        for k in [k for k in env if k.startswith("OPENBLAS_")]:
            del env[k]
    env.update(env_extra)
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    recs = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    return recs[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workloads", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-out"))
    ap.add_argument("--keep-openblas-env", action="store_true", help="pass inherited OPENBLAS_* variables to the peer")
    ap.add_argument("--peer", default=PEER, help="path of pytorch_reference.py (default: ../shared/bench/ beside the project)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    log = open(os.path.join(args.out, "compare.jsonl"), "a")
    print(f"machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M:%S')}", flush=True)
    inherited = {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS_")}
    if inherited and not args.keep_openblas_env:
        print(f"  not passed to the peer (it chooses its kernels itself): {inherited}", flush=True)
    for w in args.workloads.split(","):
        res = {"nabla": [], "peer": []}
        for r in range(args.rounds):
            for who in ("nabla", "peer"):
                if who == "nabla":
                    rec = run([os.path.join(ROOT, "nabla"), "bench", w, "--run", str(r)], {})
                else:
                    script = PEER_EXTRA if w in EXTRA_WORKLOADS else args.peer
                    rec = run(["/usr/bin/python3", script, "--workload", w, "--json", "--run", str(r)], peer_env(w),
                              clean_openblas=not args.keep_openblas_env)
                rec["who"] = who
                log.write(json.dumps(rec) + "\n"); log.flush()
                res[who].append(rec)
                extra = f" fwd_bwd_ms={rec.get('fwd_bwd_ms')}" if "fwd_bwd_ms" in rec else ""
                print(f"  {w:14s} round {r} {who:5s} {rec['value']:>10} {rec['unit']}{extra}", flush=True)
        mn = statistics.median(x["value"] for x in res["nabla"])
        mp = statistics.median(x["value"] for x in res["peer"])
        line = f"{w:14s} nabla median {mn:.3f} | peer median {mp:.3f} {res['peer'][0]['unit']} | ratio nabla/peer {mn / mp:.3f}"
        if "fwd_bwd_ms" in res["peer"][0]:
            fn = statistics.median(x["fwd_bwd_ms"] for x in res["nabla"])
            fp = statistics.median(x["fwd_bwd_ms"] for x in res["peer"])
            line += f" | fwd+bwd ms nabla {fn:.2f} peer {fp:.2f} speed ratio peer/nabla {fp / fn:.3f}"
        print("RESULT " + line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
