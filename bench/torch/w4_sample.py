#!/usr/bin/python3
"""W4, sampling: 10,000 2-D points with the untrained W2 network (torch.manual_seed(0)), float32,
under inference mode; eps = net([x, emb(t)]) with the embedding computed for the whole batch at
every step.
  ddim50   DDIM, eta = 0 (Song et al. 2021, eq. 12), t = 980, 960, ..., 0:
           x0 = (x - sqrt(1 - abar_t) eps) / sqrt(abar_t); x = sqrt(abar_s) x0 + sqrt(1 - abar_s) eps,
           s = t - 20 (abar_s = 1 after t = 0).
  ddpm1000 ancestral DDPM (Ho et al. 2020, Algorithm 2), t = 999, ..., 0:
           x = (x - beta_t / sqrt(1 - abar_t) eps) / sqrt(a_t) + sqrt(beta_tilde_t) z, no z at t = 0,
           beta_tilde_t = beta_t (1 - abar_{t-1}) / (1 - abar_t).
One untimed DDIM run first, then 5 DDIM and 3 DDPM runs, each timed whole.

Usage: /usr/bin/python3 w4_sample.py [--threads 1,2] [--ddim-reps 5] [--ddpm-reps 3]
Rows: variant "ddim50" / "ddpm1000", threads, unit ms (median per run).
"""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import workloads as w  # noqa: E402

N = 10_000


def eps_at(net, x, t):
    return w.mlp_eps(net, x, torch.full((x.shape[0],), t, dtype=torch.long))


def ddim50(net, beta, a, abar, seed=1):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(N, 2, generator=g)
    for t in range(980, -1, -20):
        eps = eps_at(net, x, t)
        abar_s = abar[t - 20] if t >= 20 else torch.tensor(1.0)
        x0 = (x - (1 - abar[t]).sqrt() * eps) / abar[t].sqrt()
        x = abar_s.sqrt() * x0 + (1 - abar_s).sqrt() * eps
    return x


def ddpm1000(net, beta, a, abar, seed=2):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(N, 2, generator=g)
    for t in range(999, -1, -1):
        eps = eps_at(net, x, t)
        x = (x - beta[t] / (1 - abar[t]).sqrt() * eps) / a[t].sqrt()
        if t > 0:
            x = x + (beta[t] * (1 - abar[t - 1]) / (1 - abar[t])).sqrt() * torch.randn(N, 2, generator=g)
    return x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--ddim-reps", type=int, default=5)
    ap.add_argument("--ddpm-reps", type=int, default=3)
    a = ap.parse_args()
    torch.manual_seed(0)
    net = w.mlp().eval()
    schedule = w.linear_schedule()
    rows = []
    for threads, blas in harness.thread_configs(a.threads):
        harness.set_threads(threads, blas)
        with torch.inference_mode():
            ddim50(net, *schedule)  # untimed: first-touch and allocator warm-up
        for name, sampler, reps in (("ddim50", ddim50, a.ddim_reps), ("ddpm1000", ddpm1000, a.ddpm_reps)):
            runs = []
            for _ in range(reps):  # a run is long, so each is checked for other processes' load alone

                def run():
                    with torch.inference_mode():
                        t0 = time.perf_counter()
                        sampler(net, *schedule)
                        return {"ms": (time.perf_counter() - t0) * 1e3}
                runs.append(harness.measured(run, f"w4 {name} t={threads}:{blas}"))
            r = harness.stats([q["ms"] for q in runs])
            r.update(variant=name, threads=threads, blas_threads=blas, unit="ms",
                     foreign=max(q["foreign"] for q in runs))
            rows.append(r)
            print(f"W4 {name:8s} threads={threads}:{blas}  ms/run {r['median']:.1f}  foreign={r['foreign']:.2f}",
                  file=sys.stderr)
    harness.emit("w4_sample", rows)


if __name__ == "__main__":
    main()
