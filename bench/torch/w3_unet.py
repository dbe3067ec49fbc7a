#!/usr/bin/python3
"""W3, U-Net training step: the W3 U-Net (workloads.UNet) on the 8x8 digits (x/8 - 1), batch 128,
eps-prediction MSE on the linear-beta schedule, Adam 1e-3; one whole step timed
(workloads.train_steps); 10 warm-up and 60 measured steps by default.

Usage: /usr/bin/python3 w3_unet.py [--threads 1,2] [--batch 128] [--warm 10] [--steps 60]
Rows: variant "batch 128", threads, unit ms (median per step).
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import workloads as w  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--warm", type=int, default=10)
    ap.add_argument("--steps", type=int, default=60)
    a = ap.parse_args()
    harness.check_gemm()  # exits with a one-line reason when torch.mm is wrong
    data = w.digits()
    rows = []
    for threads, blas in harness.thread_configs(a.threads):
        harness.set_threads(threads, blas)

        def cell():
            torch.manual_seed(0)
            net = w.UNet()
            return harness.stats(w.train_steps(net, net.parameters(), data, a.batch, a.warm, a.steps))
        harness.record(rows, "W3", f"batch {a.batch}", threads, blas, "ms", cell)
    harness.emit("w3_unet", rows)


if __name__ == "__main__":
    main()
