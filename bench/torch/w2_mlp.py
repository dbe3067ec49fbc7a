#!/usr/bin/python3
"""W2, MLP training step: the W2 denoiser (workloads.mlp, 165,634 parameters) on two moons
(8192 points, standardised), eps-prediction MSE on the linear-beta schedule, Adam 1e-3; one whole
step timed (workloads.train_steps). Warm-up + measured steps: batch <= 64 100 + 1000, <= 512
50 + 300, larger 10 + 40 (--quick: a tenth, at least 3 + 5). Matmul FLOP per step ~ 922,624 B.

Usage: /usr/bin/python3 w2_mlp.py [--threads 1,2] [--batches 64,512,4096] [--quick]
Rows: variant "batch 512", threads, unit ms (median per step).
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import workloads as w  # noqa: E402



def steps_for(batch):
    """(warm-up, measured) steps: fewer for larger batches, so every cell takes seconds."""
    return (100, 1000) if batch <= 64 else (50, 300) if batch <= 512 else (10, 40)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--batches", default="64,512,4096")
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    harness.check_gemm()  # exits with a one-line reason when torch.mm is wrong
    data = w.two_moons()
    rows = []
    for threads, blas in harness.thread_configs(a.threads):
        harness.set_threads(threads, blas)
        for batch in (int(b) for b in a.batches.split(",")):
            warm, steps = steps_for(batch)
            if a.quick:
                warm, steps = max(3, warm // 10), max(5, steps // 10)

            def cell():
                torch.manual_seed(0)
                net = w.mlp()
                return harness.stats(w.train_steps(lambda x, t: w.mlp_eps(net, x, t), net.parameters(),
                                                   data, batch, warm, steps))
            harness.record(rows, "W2", f"batch {batch}", threads, blas, "ms", cell)
    harness.emit("w2_mlp", rows)


if __name__ == "__main__":
    main()
