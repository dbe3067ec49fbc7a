"""Measurement helpers of the PyTorch reference programs (docs/BENCHMARKS.md, "Workloads").

What they do, and why:
  * Threads. "t" means t torch intra-op threads *and* t OpenBLAS threads: torch's CPU GEMM
    calls OpenBLAS, whose own pool defaults to every core and ignores torch.set_num_threads,
    so without the second setting a "one-thread" torch run would multiply matrices on two
    cores. "t:b" sets them apart. OpenBLAS is reached through ctypes on the library mapped
    into this process (found in /proc/self/maps), so no extra package is needed.
  * Machine load. The development machine is shared, so every cell records the CPU that
    *other* processes used while it ran ("foreign", in cores: busy ticks of /proc/stat minus
    this process's own CPU time), optionally waits for a quiet machine first, and retries a
    contaminated cell, keeping the cleanest attempt. Distillery's Java harness
    (dev.distillery.bench.workloads.Measure) measures the same quantity the same way.
  * Output. Progress lines go to stderr; the last stdout line is one JSON document
    {"bench", "info", "rows"}, each row carrying "variant" and "threads" named exactly as
    `distillery bench` names its own rows, "unit" and "median" in that unit.

Environment: ANCHOR_QUIET_WAIT (seconds to wait for a quiet machine per cell, default 0),
ANCHOR_RETRIES (attempts per cell, default 4), ANCHOR_FOREIGN_MAX (cores, default 0.15).
"""
import ctypes
import json
import os
import platform
import resource
import statistics
import sys
import time

FOREIGN_MAX = float(os.environ.get("ANCHOR_FOREIGN_MAX", "0.15"))
RETRIES = max(1, int(os.environ.get("ANCHOR_RETRIES", "4")))
QUIET_WAIT = float(os.environ.get("ANCHOR_QUIET_WAIT", "0"))
_TICK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- threads

def _openblas():
    """The OpenBLAS this process has mapped (torch's BLAS), or None. Debian installs it as
    libblas.so.3 too, so every mapped BLAS is asked for OpenBLAS's thread setter; the reference
    BLAS has none and runs on one thread anyway."""
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "blas" in line.split()[-1].rsplit("/", 1)[-1]})
    for path in paths:
        lib = ctypes.CDLL(path)
        if hasattr(lib, "openblas_set_num_threads"):
            return lib
    return None


def thread_configs(spec):
    """'1,2,2:1' -> [(1, 1), (2, 2), (2, 1)]: (torch threads, OpenBLAS threads)."""
    out = []
    for item in spec.split(","):
        torch_t, _, blas_t = item.partition(":")
        out.append((int(torch_t), int(blas_t or torch_t)))
    return out


def set_threads(torch_threads, blas_threads):
    import torch
    torch.set_num_threads(torch_threads)
    blas = _openblas()
    if blas is not None:
        blas.openblas_set_num_threads(blas_threads)


# ---------------------------------------------------------------- machine load

def _busy_seconds():
    fields = [int(v) for v in open("/proc/stat").readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq = fields[:7]
    return (user + nice + system + irq + softirq) / _TICK


def _own_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Load:
    """The CPU other processes used (cores) between start() and foreign()."""

    def start(self):
        self.t0, self.busy0, self.own0 = time.perf_counter(), _busy_seconds(), _own_seconds()
        return self

    def foreign(self):
        wall = time.perf_counter() - self.t0
        others = (_busy_seconds() - self.busy0) - (_own_seconds() - self.own0)
        return max(0.0, others / wall) if wall > 0 else 0.0


def wait_quiet():
    """Wait up to QUIET_WAIT seconds for one second in which others use under FOREIGN_MAX cores."""
    deadline = time.time() + QUIET_WAIT
    while time.time() < deadline:
        load = Load().start()
        time.sleep(1.0)
        if load.foreign() < FOREIGN_MAX:
            return


def measured(cell, label):
    """Run cell() (returns a dict) on as quiet a machine as we get; adds "foreign" and "attempts"."""
    best = None
    for attempt in range(1, RETRIES + 1):
        wait_quiet()
        load = Load().start()
        result = cell()
        result.update(foreign=round(load.foreign(), 3), attempts=attempt)
        if best is None or result["foreign"] < best["foreign"]:
            best = result
        if result["foreign"] <= FOREIGN_MAX:
            break
        print(f"  [{label}] other processes used {result['foreign']:.2f} cores; again", file=sys.stderr)
    return best


def record(rows, bench, variant, threads, blas, unit, cell):
    """Measure one cell (cell() returns stats in `unit`), name it as `distillery bench` names its
    row, append it to rows and report it on stderr."""
    r = measured(cell, f"{bench} {variant} t={threads}:{blas}")
    r.update(variant=variant, threads=threads, blas_threads=blas, unit=unit)
    rows.append(r)
    print(f"{bench} {variant} threads={threads}:{blas}  median {r['median']:.3f} {unit}  foreign={r['foreign']:.2f}",
          file=sys.stderr)


# ---------------------------------------------------------------- timing and output

def stats(xs):
    return {"min": min(xs), "median": statistics.median(xs), "max": max(xs), "n": len(xs)}


def per_call_seconds(fn, warmup=0.3, sample=0.05, samples=9):
    """Warm fn up for `warmup` seconds (and at least twice), then `samples` timings of an inner loop
    long enough (>= `sample` seconds) that the clock's resolution does not matter; seconds per call."""
    end, calls = time.perf_counter() + warmup, 0
    while time.perf_counter() < end or calls < 2:
        fn()
        calls += 1
    t0 = time.perf_counter()
    fn()
    inner = max(1, int(sample / max(time.perf_counter() - t0, 1e-7)))
    out = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        out.append((time.perf_counter() - t0) / inner)
    return out


def info():
    import numpy
    import torch
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), None)
    return {"python": platform.python_version(), "torch": torch.__version__, "numpy": numpy.__version__,
            "cpu": cpu, "nproc": os.cpu_count(), "openblas": _openblas() is not None}


def emit(bench, rows):
    """The machine-readable last line."""
    print(json.dumps({"bench": bench, "info": info(), "rows": rows}, separators=(",", ":")))
