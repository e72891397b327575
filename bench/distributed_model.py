#!/usr/bin/env python3
"""Step-time model for data-parallel training on N machines (docs/distributed.md prints its tables from this).

T(N) = C + A(N),  A(N) = 2(N-1)/N * S/B + 2(N-1) * k * alpha     (ring all-reduce of S bytes in k buckets)
speed-up(N) = N * C / T(N)                                           (weak scaling: per-machine batch fixed)

C: compute per step of one machine (this 2-core AMD EPYC Zen 5 machine, 2 threads, batch 64 per machine), S: gradient bytes
(float32 parameters x 4), B: link bandwidth, alpha: per-message latency. No overlap is assumed (an upper bound on
T): the small models have one bucket, which can only start once backward is done.
Usage: python3 bench/distributed_model.py            (markdown tables)
The 2-ranks-on-this-machine prediction, measured against the real thing: bench/distributed_check.py.
"""

# name: (parameters, compute ms per step at batch 64 on this machine with 2 threads, how C was obtained)
MODELS = {
    "MLP 784-512-512-10": (669_706, 0.7396, "measured: mlp-train, bench/results/2026-12-07-0828-epyc-zen5/compare.jsonl"),
    "MNIST CNN (bench)": (28_938, 4.9641, "measured: cnn-train, same file"),
    "VGG11 (CIFAR-10)": (9_231_114, 279.8 / 2, "measured: vgg11-train at batch 128 (279.8 ms), halved"),
    "ResNet-9 (CIFAR-10)": (6_573_130, 279.8 / 2 * 379 / 153, "estimated: VGG11's rate x MAC ratio (379M / 153M per image)"),
}
BUCKET_BYTES = 25 * 1024 * 1024
# name: (bandwidth bytes/s, latency s)
NETWORKS = {
    "1 GbE": (0.9 * 125e6, 50e-6),
    "10 GbE": (0.9 * 1.25e9, 20e-6),
    "100 Gb InfiniBand": (0.9 * 12.5e9, 1.5e-6),
}
MACHINES = [2, 4, 8, 16, 64]


def allreduce_s(n, size_bytes, bandwidth, latency):
    buckets = max(1, -(-size_bytes // BUCKET_BYTES))
    return 2 * (n - 1) / n * size_bytes / bandwidth + 2 * (n - 1) * buckets * latency


def speedup(n, params, compute_ms, bandwidth, latency):
    c = compute_ms / 1e3
    return n * c / (c + allreduce_s(n, 4 * params, bandwidth, latency))


def main():
    print("| model | params | gradient MB | C (ms/step) | network | " + " | ".join(f"N={n}" for n in MACHINES) + " |")
    print("|---|---|---|---|---|" + "---|" * len(MACHINES))
    for name, (p, c, _) in MODELS.items():
        for net, (bw, lat) in NETWORKS.items():
            cells = [f"{speedup(n, p, c, bw, lat):.1f}" for n in MACHINES]
            print(f"| {name} | {p:,} | {4 * p / 1e6:.2f} | {c:.2f} | {net} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
