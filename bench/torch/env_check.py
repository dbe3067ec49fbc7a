#!/usr/bin/python3
"""Before any PyTorch workload: is torch importable, is its GEMM right, and which BLAS and thread
settings will the workloads run with. `distillery bench` runs this once per BLAS environment
("native": OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from this process's environment;
"forced": left as the caller's) and records the document in its own JSON output.

  * torch.mm in float32 and float64 is checked against a float64 reference that calls no BLAS
    (harness.check_gemm; tolerances harness.GEMM_TOL of (|A| |B|)_ij), at every thread setting.
  * The BLAS: threadpoolctl.threadpool_info() when installed, the BLAS libraries mapped into this
    process (OpenBLAS's version, core name and threads through its own entry points; the Debian
    package and version from dpkg), torch.__config__.show()'s BLAS_INFO, numpy's build config.
  * Threads: for each "t" or "t:b" of --threads, torch.get_num_threads(), the interop threads and
    OpenBLAS's threads after harness.set_threads.

Exit status: 0 with the JSON document as the last stdout line; 2 with one line on stderr when
torch or numpy cannot be imported; 3 when the GEMM check fails.

Usage: /usr/bin/python3 env_check.py [--threads 1,2]
"""
import argparse
import json
import os
import platform
import sys

try:
    import numpy  # noqa: F401
    import torch
except ImportError as e:
    print(f"{sys.executable} cannot import {e.name} ({e}); Debian: apt-get install python3-torch", file=sys.stderr)
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1")
    a = ap.parse_args()
    threads = []
    checks = []
    for torch_threads, blas_threads in harness.thread_configs(a.threads):
        harness.set_threads(torch_threads, blas_threads)
        threads.append(harness.thread_record(torch_threads, blas_threads))
        checks.append(dict(harness.check_gemm(), threads=torch_threads, blas_threads=blas_threads))
    doc = {"python": platform.python_version(), "executable": sys.executable, "torch": torch.__version__,
           "numpy": numpy.__version__, "blas": harness.blas_record(), "gemm_check": checks, "threads": threads}
    print(json.dumps(doc, separators=(",", ":")))


if __name__ == "__main__":
    main()
