#!/usr/bin/python3
"""W1, GEMM: C = A B for square N x N standard-normal A, B in float32 and float64, torch.mm into
a preallocated C. GFLOP/s = 2 N^3 / t; per cell a warm-up of 0.3 s, then 9 samples of an inner
loop lasting at least 50 ms; the median is reported.

Usage: /usr/bin/python3 w1_gemm.py [--threads 1,2] [--sizes 64,128,256,512,1024] [--dtypes float32,float64]
Rows: variant "float32 N=512" (as `distillery bench` names them), threads, unit GFLOP/s.
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--sizes", default="64,128,256,512,1024")
    ap.add_argument("--dtypes", default="float32,float64")
    a = ap.parse_args()
    harness.check_gemm()  # exits with a one-line reason when torch.mm is wrong
    rng = np.random.default_rng(0)
    rows = []
    for dtype in a.dtypes.split(","):
        for threads, blas in harness.thread_configs(a.threads):
            harness.set_threads(threads, blas)
            for n in (int(s) for s in a.sizes.split(",")):
                x, y = (torch.from_numpy(rng.standard_normal((n, n)).astype(dtype)) for _ in range(2))
                out = torch.empty((n, n), dtype=x.dtype)

                def cell():
                    secs = harness.per_call_seconds(lambda: torch.mm(x, y, out=out))
                    return harness.stats([2.0 * n ** 3 / s / 1e9 for s in secs])
                harness.record(rows, "W1", f"{dtype} N={n}", threads, blas, "GFLOP/s", cell)
    harness.emit("w1_gemm", rows)


if __name__ == "__main__":
    main()
