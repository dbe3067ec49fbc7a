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

  * BLAS. blas_record() says which BLAS this process runs: threadpoolctl.threadpool_info()
    when threadpoolctl is installed, and always the BLAS libraries mapped into the process
    (asked for OpenBLAS's, MKL's, BLIS's or FlexiBLAS's entry points, their package from dpkg),
    with torch.__config__.show()'s BLAS_INFO and numpy's build configuration beside them: a
    Debian torch links libblas.so.3, which is OpenBLAS, BLIS or the Netlib reference BLAS
    depending on what is installed, and threadpoolctl does not report the reference BLAS at all.
  * GEMM check. check_gemm() compares torch.mm in float32 and float64 with a float64 reference
    summed by numpy.einsum(optimize=False), a C loop that calls no BLAS, and fails the program
    when an entry is off by more than GEMM_TOL of (|A| |B|)_ij: a kernel picked for the wrong
    CPU (OPENBLAS_CORETYPE) computes fast garbage, and timing it would mean nothing.

Environment: ANCHOR_QUIET_WAIT (seconds to wait for a quiet machine per cell, default 0),
ANCHOR_RETRIES (attempts per cell, default 4), ANCHOR_FOREIGN_MAX (cores, default 0.15).
DISTILLERY_TORCH_BLAS_ENV ("native" or "forced") is only recorded: `distillery bench` sets it
when it removes OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE from this process's environment (native)
or leaves them as they were (forced).
"""
import contextlib
import ctypes
import io
import json
import os
import platform
import re
import resource
import statistics
import subprocess
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
        if result["foreign"] <= FOREIGN_MAX or attempt == RETRIES:
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
            "cpu": cpu, "nproc": os.cpu_count(), "openblas": _openblas() is not None,
            "blas": blas_record(), "gemm_check": _GEMM_CHECKED, "torch_threads": torch.get_num_threads(),
            "torch_interop_threads": torch.get_num_interop_threads()}


# ---------------------------------------------------------------- which BLAS, and is it right

BLAS_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")
#: |torch.mm - reference| <= GEMM_TOL (|A| |B|)_ij. The worst-case rounding bound is k u (k = 257
#: here: 1.5e-5 in float32, 2.9e-14 in float64); a wrong kernel is off by O(1).
GEMM_TOL = {"float32": 1e-4, "float64": 1e-12}
GEMM_SHAPES = ((193, 257, 131), (256, 256, 256))
_GEMM_CHECKED = None


def _mapped_libraries():
    """Shared libraries mapped into this process whose file name says BLAS, LAPACK or a threading runtime."""
    keys = ("blas", "lapack", "mkl", "blis", "gomp", "iomp", "dnnl")
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if line.split()[-1].startswith("/")}
    return sorted(p for p in paths if any(k in p.rsplit("/", 1)[-1].lower() for k in keys))


def _dpkg_package(path):
    """(package, version) of the Debian package that installed path, or (None, None)."""
    try:
        owner = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True, timeout=20)
        if owner.returncode != 0:
            return None, None
        # "libblas3:amd64: /usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"
        package = owner.stdout.split("\n")[0].rsplit(": ", 1)[0].split(",")[0].strip()
        version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True,
                                 timeout=20)
        return package, (version.stdout.strip() or None) if version.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None, None


def _c_string(lib, name):
    fn = getattr(lib, name)
    fn.restype = ctypes.c_char_p
    value = fn()
    return value.decode(errors="replace").strip() if value else None


def _describe_blas(path):
    """What one mapped BLAS library is: its API, version, kernel (OpenBLAS core) and threads."""
    real = os.path.realpath(path)
    d = {"filepath": path, "realpath": real}
    d["package"], d["package_version"] = _dpkg_package(real)
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        d["error"] = str(e)
        return d
    if hasattr(lib, "openblas_get_config"):
        config = _c_string(lib, "openblas_get_config")
        m = re.search(r"OpenBLAS\s+([0-9][0-9.]*)", config or "")
        d.update(internal_api="openblas", version=m.group(1) if m else None, config=config,
                 architecture=_c_string(lib, "openblas_get_corename") if hasattr(lib, "openblas_get_corename") else None,
                 num_threads=lib.openblas_get_num_threads() if hasattr(lib, "openblas_get_num_threads") else None)
    elif hasattr(lib, "MKL_Get_Version_String"):
        buf = ctypes.create_string_buffer(256)
        lib.MKL_Get_Version_String(buf, 256)
        d.update(internal_api="mkl", version=buf.value.decode(errors="replace").strip(),
                 num_threads=lib.MKL_Get_Max_Threads() if hasattr(lib, "MKL_Get_Max_Threads") else None)
    elif hasattr(lib, "bli_info_get_version_str"):
        d.update(internal_api="blis", version=_c_string(lib, "bli_info_get_version_str"),
                 architecture=None, num_threads=lib.bli_thread_get_num_threads()
                 if hasattr(lib, "bli_thread_get_num_threads") else None)
    elif hasattr(lib, "flexiblas_print_current_backend"):
        d.update(internal_api="flexiblas", version=None)
    elif hasattr(lib, "sgemm_") or hasattr(lib, "cblas_sgemm"):
        # No runtime kernel selection and no threads: Debian's libblas3 is "Basic Linear Algebra
        # Reference implementations" (Netlib), its version that of LAPACK it is built from.
        reference = (d["package"] or "").startswith("libblas3")
        m = re.search(r"\.so\.([0-9][0-9.]*)$", real)
        d.update(internal_api="reference" if reference else "unknown",
                 version=(d["package_version"] or "").split("-")[0] or (m.group(1) if m else None),
                 architecture=None, num_threads=1 if reference else None,
                 note=("the Netlib reference BLAS: plain Fortran loops, one thread, no CPU-specific kernel; "
                       "OPENBLAS_* variables do not apply" if reference else
                       "a BLAS without OpenBLAS, MKL, BLIS or FlexiBLAS entry points"))
    else:
        return None  # a LAPACK or runtime library, not a BLAS
    return d


def _torch_config():
    import torch
    shown = torch.__config__.show()
    out = {}
    for key in ("BLAS_INFO", "LAPACK_INFO", "USE_MKLDNN", "USE_OPENMP", "TORCH_VERSION"):
        m = re.search(key + r"=([^,\s]+)", shown)
        out[key] = m.group(1) if m else None
    m = re.search(r"CPU capability usage: (\S+)", shown)
    out["cpu_capability"] = m.group(1) if m else None
    m = re.search(r"MKL-DNN v(\S+)", shown)
    out["mkldnn"] = m.group(1) if m else None
    return out


def _numpy_blas():
    import numpy
    cfg = numpy.__config__
    for name in ("blas_opt_info", "blas_ilp64_opt_info"):
        value = getattr(cfg, name, None)
        if value:
            return {"source": "numpy.__config__." + name, "libraries": value.get("libraries"),
                    "library_dirs": value.get("library_dirs")}
    try:  # numpy >= 1.26
        return {"source": "numpy.show_config(mode='dicts')",
                "blas": numpy.show_config(mode="dicts").get("Build Dependencies", {}).get("blas")}
    except TypeError:
        text = io.StringIO()
        with contextlib.redirect_stdout(text):
            numpy.show_config()
        return {"source": "numpy.show_config()", "text": text.getvalue()[:2000]}


def blas_record():
    """The BLAS this process runs, as JSON-ready data (see the module's docstring)."""
    import torch
    try:
        import threadpoolctl
        tpc = {"available": True, "version": threadpoolctl.__version__,
               "threadpool_info": threadpoolctl.threadpool_info()}
        if not any(p.get("user_api") == "blas" for p in tpc["threadpool_info"]):
            tpc["note"] = ("threadpoolctl lists no BLAS: it knows OpenBLAS, MKL, BLIS and FlexiBLAS, not the "
                           "reference BLAS; see 'libraries'")
    except ImportError:
        tpc = {"available": False,
               "note": "threadpoolctl is not installed; the BLAS is identified from the libraries mapped into "
                       "this process, dpkg, torch.__config__.show() and numpy's build configuration"}
    libraries = _mapped_libraries()
    blas = [d for d in (_describe_blas(p) for p in libraries if "blas" in p.rsplit("/", 1)[-1].lower()
                        or "mkl" in p.rsplit("/", 1)[-1].lower() or "blis" in p.rsplit("/", 1)[-1].lower())
            if d is not None]
    return {"libraries": blas, "threadpoolctl": tpc, "torch_config": _torch_config(), "numpy": _numpy_blas(),
            "mapped": libraries, "env": {k: os.environ.get(k) for k in BLAS_ENV + THREAD_ENV},
            "blas_env": os.environ.get("DISTILLERY_TORCH_BLAS_ENV"), "torch": torch.__version__}


def thread_record(torch_threads, blas_threads):
    """The thread settings in force after set_threads(torch_threads, blas_threads)."""
    import torch
    blas = _openblas()
    return {"requested": {"torch": torch_threads, "blas": blas_threads},
            "torch.get_num_threads()": torch.get_num_threads(),
            "torch.get_num_interop_threads()": torch.get_num_interop_threads(),
            "openblas_get_num_threads()": blas.openblas_get_num_threads() if blas is not None else None,
            "parallel_info": [line.strip() for line in torch.__config__.parallel_info().splitlines() if line.strip()]}


def check_gemm():
    """torch.mm in float32 and float64 against a float64 reference that calls no BLAS; returns the
    errors and tolerances, or exits with a one-line reason when an error is above its tolerance."""
    global _GEMM_CHECKED
    import numpy as np
    import torch
    rng = np.random.default_rng(0)
    out = {"reference": "float64 numpy.einsum(optimize=False) (no BLAS) of the same, rounded inputs",
           "measure": "max |torch.mm - reference| / (|A| |B|)_ij", "shapes": [list(s) for s in GEMM_SHAPES],
           "tolerance": GEMM_TOL, "max_error": {}}
    for dtype in ("float32", "float64"):
        worst = 0.0
        for m, k, n in GEMM_SHAPES:
            a = rng.standard_normal((m, k)).astype(dtype)
            b = rng.standard_normal((k, n)).astype(dtype)
            a64, b64 = a.astype(np.float64), b.astype(np.float64)
            ref = np.einsum("ik,kj->ij", a64, b64, optimize=False)
            scale = np.einsum("ik,kj->ij", np.abs(a64), np.abs(b64), optimize=False)
            got = torch.mm(torch.from_numpy(a), torch.from_numpy(b)).numpy().astype(np.float64)
            if not np.all(np.isfinite(got)):
                worst = float("inf")
                break
            worst = max(worst, float(np.max(np.abs(got - ref) / scale)))
        out["max_error"][dtype] = worst
        if not worst <= GEMM_TOL[dtype]:
            print(f"torch GEMM check failed: {dtype} torch.mm is off by {worst:.3g} of (|A||B|)_ij, above "
                  f"{GEMM_TOL[dtype]:g} (BLAS: {_blas_summary()}; a kernel chosen for another CPU, e.g. by "
                  "OPENBLAS_CORETYPE, gives this)", file=sys.stderr)
            sys.exit(3)
    out["passed"] = True
    _GEMM_CHECKED = out
    return out


def _blas_summary():
    libs = blas_record()["libraries"]
    return ", ".join(f"{d.get('internal_api')} {d.get('version')} {d.get('architecture') or ''}".strip()
                     for d in libs) or "none mapped"


def emit(bench, rows):
    """The machine-readable last line."""
    print(json.dumps({"bench": bench, "info": info(), "rows": rows}, separators=(",", ":")))
