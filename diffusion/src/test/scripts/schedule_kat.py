#!/usr/bin/env python3
"""Known-answer values for ScheduleKnownAnswerTest (T = 10), computed independently of the Java code.

Exact rational arithmetic (fractions) where the formula is rational (linear betas and their
cumulative products), mpmath at 60 significant digits for square roots, logs and cosines. Each
value is printed as the double nearest to the high-precision result (repr(float(x))), so the only
error on the expected side is one rounding (<= 0.5 ulp). Run: python3 schedule_kat.py
"""
from fractions import Fraction as F
import mpmath as mp

mp.mp.dps = 60
T = 10

def linear_betas(start, end):
    return [F(start) + F(t - 1, T - 1) * (F(end) - F(start)) for t in range(1, T + 1)]

def scaled_linear_betas(start, end):
    r0, r1 = mp.sqrt(mp.mpf(start)), mp.sqrt(mp.mpf(end))
    return [(r0 + mp.mpf(t - 1) / (T - 1) * (r1 - r0)) ** 2 for t in range(1, T + 1)]

def cosine_betas(s):
    s = mp.mpf(s)
    f = lambda t: mp.cos((mp.mpf(t) / T + s) / (1 + s) * mp.pi / 2) ** 2
    # The clip value is the double nearest 0.999 (what Java's 0.999 literal is), taken exactly.
    return [min(1 - f(t) / f(t - 1), mp.mpf(0.999)) for t in range(1, T + 1)]

def cumprod(betas):
    out, acc = [], 1
    for b in betas:
        acc = acc * (1 - b)
        out.append(acc)
    return out

def rescale_zero_terminal_snr(abar):
    r = [mp.sqrt(mp.mpf(a.numerator) / a.denominator) if isinstance(a, F) else mp.sqrt(a) for a in abar]
    r1, rT = r[0], r[-1]
    rr = [(x - rT) * r1 / (r1 - rT) for x in r]
    ab = [x * x for x in rr]
    betas = [1 - ab[0]] + [1 - ab[i] / ab[i - 1] for i in range(1, T)]
    betas[-1] = mp.mpf(1)  # 1 - 0 / abar_{T-1}, exactly
    return betas, ab

def mpf(x):
    return mp.mpf(x.numerator) / x.denominator if isinstance(x, F) else mp.mpf(x)

def lit(x):
    x = mpf(x)
    if x == 0:
        return "0.0"
    return repr(float(x))

def emit(name, betas, abar):
    cols = {"BETA": betas, "ALPHA_BAR": abar,
            "ALPHA": [mp.sqrt(mpf(a)) for a in abar],
            "SIGMA": [mp.sqrt(1 - mpf(a)) for a in abar],
            "LOG_SNR": [mp.log(mpf(a)) - mp.log(1 - mpf(a)) if mpf(a) > 0 else None for a in abar]}
    for col, vals in cols.items():
        body = ", ".join("Double.NEGATIVE_INFINITY" if v is None else lit(v) for v in vals)
        print(f"    static final double[] {name}_{col} = {{{body}}};")

lin = linear_betas(F(1, 10000), F(2, 100))
emit("LINEAR", lin, cumprod(lin))
sl = scaled_linear_betas('0.00085', '0.012')
emit("SCALED_LINEAR", sl, cumprod(sl))
cb = cosine_betas('0.008')
emit("COSINE", cb, cumprod(cb))
zb, zab = rescale_zero_terminal_snr(cumprod(lin))
emit("LINEAR_ZTSNR", zb, zab)
