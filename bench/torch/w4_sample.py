#!/usr/bin/python3
"""W4, sampling throughput: 10,000 2-D points with the untrained W2 network (torch.manual_seed(0);
165,634 parameters), float32, under inference mode; eps = net([x, emb(t)]) with the embedding
computed for the whole batch at every step. Weights are untrained: only the time is measured.
Samplers, with their network evaluations (each one forward pass of the batch of 10,000):
  ddpm1000  1000  ancestral DDPM (Ho et al. 2020, Algorithm 2), t = 999, ..., 0:
                  x = (x - beta_t / sqrt(1 - abar_t) eps) / sqrt(a_t) + sqrt(beta_tilde_t) z, no z at t = 0,
                  beta_tilde_t = beta_t (1 - abar_{t-1}) / (1 - abar_t).
  ddim50      50  DDIM, eta = 0 (Song et al. 2021, eq. 12), t = 980, 960, ..., 0:
                  x0 = (x - sqrt(1 - abar_t) eps) / sqrt(abar_t); x = sqrt(abar_s) x0 + sqrt(1 - abar_s) eps,
                  s = t - 20 (abar_s = 1 after t = 0).
  student4     4  a distilled few-step student's multistep sampler (distill.matching.FewStepSampler:
  student2     2  consistency models, ADD, DMD2) at the student times t_i = 1000 (1 - i/n) - 1:
  student1     1  999, 749, 499, 249 / 999, 499 / 999. At each: x0 = (x - sqrt(1 - abar_t) eps) /
                  sqrt(abar_t) with eps from the same network; then, but after the last time,
                  x = sqrt(abar_s) x0 + sqrt(1 - abar_s) z at the next time s, fresh z ~ N(0, I).

Timing (Distillery's W4Sample times its side with the same rule and the same numbers):
  * warm-up, untimed: student1 runs until --warm seconds have passed (at least two runs);
  * a timed run is the sampler's first min(evaluations, --max-evals) steps (default 20: the
    students whole, DDIM-50's first 20 steps t = 980..600, DDPM-1000's first 20, t = 999..980),
    and its time is scaled by evaluations / timed steps to a whole run: every step costs the same
    (one network evaluation on the same batch and a few elementwise operations), and a whole
    DDPM-1000 run of PyTorch on a reference BLAS takes tens of minutes;
  * runs repeat until --budget seconds of timed runs have passed (at least 1, at most --max-reps);
  * samples/s = 10,000 / (shortest run, scaled). The rows also carry the median and each run's ms.

Usage: /usr/bin/python3 w4_sample.py [--threads 1,2] [--max-evals 20] [--budget 5] [--max-reps 10] [--warm 3]
       [--samplers ddpm1000,ddim50,student4,student2,student1]
Rows: variant "ddpm1000" .. "student1", threads, unit samples/s ("value": from the shortest run).
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
EVALS = {"ddpm1000": 1000, "ddim50": 50, "student4": 4, "student2": 2, "student1": 1}


def eps_at(net, x, t):
    return w.mlp_eps(net, x, torch.full((x.shape[0],), t, dtype=torch.long))


def ddim50(net, beta, a, abar, limit, seed=1):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(N, 2, generator=g)
    for t in list(range(980, -1, -20))[:limit]:
        eps = eps_at(net, x, t)
        abar_s = abar[t - 20] if t >= 20 else torch.tensor(1.0)
        x0 = (x - (1 - abar[t]).sqrt() * eps) / abar[t].sqrt()
        x = abar_s.sqrt() * x0 + (1 - abar_s).sqrt() * eps
    return x


def ddpm1000(net, beta, a, abar, limit, seed=2):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(N, 2, generator=g)
    for t in list(range(999, -1, -1))[:limit]:
        eps = eps_at(net, x, t)
        x = (x - beta[t] / (1 - abar[t]).sqrt() * eps) / a[t].sqrt()
        if t > 0:
            x = x + (beta[t] * (1 - abar[t - 1]) / (1 - abar[t])).sqrt() * torch.randn(N, 2, generator=g)
    return x


def student_times(n):
    """t_i = 1000 (1 - i/n) - 1: FewStepSampler's tau_i = 1 - i/n on the integer steps (999, 749, 499, 249)."""
    return [1000 * (n - i) // n - 1 for i in range(n)]


def student(n):
    def sample(net, beta, a, abar, limit, seed=3):
        g = torch.Generator().manual_seed(seed)
        x = torch.randn(N, 2, generator=g)
        times = student_times(n)[:limit]
        for i, t in enumerate(times):
            eps = eps_at(net, x, t)
            x = (x - (1 - abar[t]).sqrt() * eps) / abar[t].sqrt()  # the student's x0
            if i + 1 < len(times):
                s = times[i + 1]
                x = abar[s].sqrt() * x + (1 - abar[s]).sqrt() * torch.randn(N, 2, generator=g)
        return x
    return sample


SAMPLERS = {"ddpm1000": ddpm1000, "ddim50": ddim50, "student4": student(4), "student2": student(2),
            "student1": student(1)}


def timed_runs(sampler, net, schedule, limit, budget, max_reps):
    """Milliseconds of each timed run: repeat until budget seconds of runs (at least 1, at most max_reps)."""
    ms, spent = [], 0.0
    while not ms or (spent < budget and len(ms) < max_reps):
        with torch.inference_mode():
            t0 = time.perf_counter()
            sampler(net, *schedule, limit)
            dt = time.perf_counter() - t0
        ms.append(dt * 1e3)
        spent += dt
    return ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--max-evals", type=int, default=20)
    ap.add_argument("--budget", type=float, default=5.0)
    ap.add_argument("--max-reps", type=int, default=10)
    ap.add_argument("--warm", type=float, default=3.0)
    ap.add_argument("--samplers", default=",".join(EVALS))
    a = ap.parse_args()
    harness.check_gemm()  # exits with a one-line reason when torch.mm is wrong
    torch.manual_seed(0)
    net = w.mlp().eval()
    schedule = w.linear_schedule()
    rows = []
    for threads, blas in harness.thread_configs(a.threads):
        harness.set_threads(threads, blas)
        end, runs = time.perf_counter() + a.warm, 0
        while time.perf_counter() < end or runs < 2:  # untimed: first touch, allocator, OpenMP pool
            with torch.inference_mode():
                SAMPLERS["student1"](net, *schedule, 1)
            runs += 1
        for name in a.samplers.split(","):
            evals = EVALS[name]
            timed = min(evals, a.max_evals)

            def cell():
                ms = timed_runs(SAMPLERS[name], net, schedule, timed, a.budget, a.max_reps)
                return {"ms": harness.stats(ms), "runs_ms": ms}
            r = harness.measured(cell, f"w4 {name} t={threads}:{blas}")
            scale = evals / timed
            r.update(variant=name, threads=threads, blas_threads=blas, unit="samples/s",
                     value=N / (r["ms"]["min"] * scale / 1e3), median=N / (r["ms"]["median"] * scale / 1e3),
                     evals=evals, timed_evals=timed, points=N, reps=len(r["runs_ms"]))
            rows.append(r)
            print(f"W4 {name:8s} threads={threads}:{blas}  {r['value']:.1f} samples/s ({timed} of {evals} "
                  f"evaluations timed, {r['reps']} runs)  foreign={r['foreign']:.2f}", file=sys.stderr)
    harness.emit("w4_sample", rows)


if __name__ == "__main__":
    main()
