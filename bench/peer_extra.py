"""Peer workloads that ../shared/bench/pytorch_reference.py does not have, written with that file's own helpers.

The reference is imported from beside the project, so the environment is set exactly as there (thread count, the
OpenBLAS kernel family for the CPU) and the records have the same fields. bench/compare.py runs this file for the
workloads listed in EXTRA.

    /usr/bin/python3 bench/peer_extra.py --workload vgg11-infer --json
"""
import argparse
import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "..", "..", "shared", "bench", "pytorch_reference.py")

_spec = importlib.util.spec_from_file_location("pytorch_reference", REFERENCE)
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)   # sets OMP_NUM_THREADS / OPENBLAS_CORETYPE before torch loads, as when run itself
torch = ref.torch


def bench_vgg11_infer(args, batch=128):
    """The reference's VGG11 (make_vgg11) in eval mode, no-grad forward of one batch, as bench_mlp_infer times it."""
    model = ref.make_vgg11().eval()
    x = torch.randn(batch, 3, 32, 32)

    def fwd():
        with torch.no_grad():
            return model(x)

    iters = ref.calibrate_iters(fwd, args.rep_seconds, max_iters=1000)
    per = ref.timed_reps(fwd, iters, args.reps, warmup_iters=3)
    return ref.result("vgg11-infer", "infer_images_per_s", per, batch, "images/s",
                      settings=dict(ref.common_settings(args), batch=batch, iters_per_rep=iters,
                                    nreps=args.reps, mode="eval+no_grad"))


EXTRA = {"vgg11-infer": bench_vgg11_infer}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workload", required=True, choices=sorted(EXTRA))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--threads", type=int, default=ref._DEFAULT_THREADS)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--rep-seconds", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-coretype", action="store_true")
    ap.add_argument("--run", type=int, default=None)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rec = EXTRA[args.workload](args)
    if args.run is not None:
        rec["run"] = args.run
    print(json.dumps(rec) if args.json else rec, flush=True)


if __name__ == "__main__":
    sys.exit(main())
