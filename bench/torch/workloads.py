"""The networks, data and training step of the PyTorch reference programs, in float32.

Their definitions are stated in docs/BENCHMARKS.md ("Workloads"); this module is that
statement in PyTorch, and its parameter names are the ones Distillery's models export
(nn.models.MlpDenoiser, nn.models.UNet), so docs/pytorch_parity.py loads our weights into these
very networks with load_state_dict(strict=True).
"""
import gzip
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIGITS = os.path.join(REPO, "diffusion", "src", "main", "resources", "dev", "distillery", "diffusion",
                      "data", "digits8x8.csv.gz")
T = 1000
EMB = 128


# ---------------------------------------------------------------- schedule and time embedding

def linear_schedule():
    """Ho et al. 2020's betas, linspace(1e-4, 0.02, 1000), in float64 then cast (as Distillery
    rounds its coefficients to F32): (beta_t, a_t = 1 - beta_t, abar_t)."""
    beta = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
    abar = torch.cumprod(1.0 - beta, 0)
    return beta.float(), (1.0 - beta).float(), abar.float()


def time_embedding(t, dim=EMB):
    """[sin(t f_k), cos(t f_k)], f_k = 10000^(-k/(dim/2)), k < dim/2: sines first."""
    k = torch.arange(dim // 2, dtype=torch.float32)
    angles = t.to(torch.float32)[:, None] * torch.exp(-math.log(10000.0) * k / (dim // 2))[None, :]
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


# ---------------------------------------------------------------- W2: the MLP denoiser

def mlp():
    """[x_t (2), emb(t) (128)] -> 256 -> 256 -> 256 -> 2, SiLU between; 165,634 parameters."""
    return nn.Sequential(nn.Linear(2 + EMB, 256), nn.SiLU(), nn.Linear(256, 256), nn.SiLU(),
                         nn.Linear(256, 256), nn.SiLU(), nn.Linear(256, 2))


def mlp_eps(net, x, t):
    return net(torch.cat([x, time_embedding(t)], dim=1))


def two_moons(n=8192, seed=0):
    """Two moons with noise 0.05 (a fair coin picks the moon, u ~ U(0, pi)), standardised per
    coordinate. The points themselves do not change the timing; their law matches ours."""
    g = np.random.default_rng(seed)
    upper = g.random(n) < 0.5
    u = math.pi * g.random(n)
    x = np.where(upper, np.cos(u), 1.0 - np.cos(u))
    y = np.where(upper, np.sin(u), 0.5 - np.sin(u))
    p = np.stack([x, y], axis=1) + 0.05 * g.standard_normal((n, 2))
    p = (p - p.mean(0)) / p.std(0)
    return torch.from_numpy(p.astype(np.float32))


# ---------------------------------------------------------------- W3: the U-Net

def group_norm(c):
    return nn.GroupNorm(8, c, eps=1e-5)


class ResBlock(nn.Module):
    """h = conv(SiLU(GN(x))) + Linear(SiLU(temb)); h = conv(SiLU(GN(h))); skip(x) + h."""

    def __init__(self, cin, cout):
        super().__init__()
        self.n1, self.c1 = group_norm(cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.tp = nn.Linear(EMB, cout)
        self.n2, self.c2 = group_norm(cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Identity() if cin == cout else nn.Conv2d(cin, cout, 1)

    def forward(self, x, temb):
        h = self.c1(F.silu(self.n1(x))) + self.tp(F.silu(temb))[:, :, None, None]
        return self.skip(x) + self.c2(F.silu(self.n2(h)))


class Attention(nn.Module):
    """One head over the H*W positions: x + o(v softmax(q^T k / sqrt(C))^T)."""

    def __init__(self, c):
        super().__init__()
        self.n = group_norm(c)
        self.q, self.k, self.v, self.o = (nn.Conv2d(c, c, 1) for _ in range(4))

    def forward(self, x):
        b, c, hgt, wid = x.shape
        h = self.n(x)
        q, k, v = (m(h).reshape(b, c, hgt * wid) for m in (self.q, self.k, self.v))
        w = torch.softmax(q.transpose(1, 2) @ k / math.sqrt(c), dim=-1)
        return x + self.o((v @ w.transpose(1, 2)).reshape(b, c, hgt, wid))


class UNet(nn.Module):
    """The W3 layout (base 32 channels, multipliers 1 and 2, two blocks a level): every output of
    the way down is pushed, and every block of the way up takes the concatenation with a pop."""

    def __init__(self):
        super().__init__()
        self.temb = nn.Sequential(nn.Linear(EMB, EMB), nn.SiLU(), nn.Linear(EMB, EMB))
        self.conv_in = nn.Conv2d(1, 32, 3, padding=1)
        self.down = nn.ModuleList([ResBlock(32, 32), ResBlock(32, 32),          # 8x8
                                   nn.Conv2d(32, 32, 3, stride=2, padding=1),   # 8x8 -> 4x4
                                   ResBlock(32, 64), ResBlock(64, 64)])         # 4x4
        self.mid1, self.mid_attn, self.mid2 = ResBlock(64, 64), Attention(64), ResBlock(64, 64)
        self.up = nn.ModuleList([ResBlock(128, 64), ResBlock(128, 64), ResBlock(96, 64),   # 4x4
                                 nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"),
                                               nn.Conv2d(64, 64, 3, padding=1)),        # 4x4 -> 8x8
                                 ResBlock(96, 32), ResBlock(64, 32), ResBlock(64, 32)])   # 8x8
        self.out = nn.Sequential(group_norm(32), nn.SiLU(), nn.Conv2d(32, 1, 3, padding=1))

    def forward(self, x, t):
        temb = self.temb(time_embedding(t))
        h = self.conv_in(x)
        skips = [h]
        for m in self.down:
            h = m(h, temb) if isinstance(m, ResBlock) else m(h)
            skips.append(h)
        h = self.mid2(self.mid_attn(self.mid1(h, temb)), temb)
        for m in self.up:
            h = m(torch.cat([h, skips.pop()], dim=1), temb) if isinstance(m, ResBlock) else m(h)
        return self.out(h)


def digits():
    """The 1797 UCI 8x8 digits this repository ships (pixels 0..16), as x/8 - 1 in [-1, 1]."""
    with gzip.open(DIGITS, "rt") as f:
        rows = np.loadtxt(f, delimiter=",", dtype=np.float32)
    return torch.from_numpy(rows[:, :64].reshape(-1, 1, 8, 8) / 8.0 - 1.0)


# ---------------------------------------------------------------- the timed training step (W2, W3)

def train_steps(eps_of, params, data, batch, warm, steps, seed=0):
    """Milliseconds per step of the eps-prediction training step (Ho et al. 2020, Algorithm 1),
    timed whole: idx ~ U over the data, t ~ U{0..999}, eps ~ N(0, I),
    x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps, loss = mean (eps_of(x_t, t) - eps)^2,
    zero_grad, backward, Adam(1e-3, (0.9, 0.999), 1e-8). `warm` steps first, untimed."""
    torch.manual_seed(seed)
    opt = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, foreach=False)
    _, _, abar = linear_schedule()
    signal, noise = abar.sqrt(), (1.0 - abar).sqrt()
    per_sample = (batch,) + (1,) * (data.dim() - 1)
    ms = []
    for i in range(warm + steps):
        t0 = time.perf_counter()
        x0 = data[torch.randint(0, data.shape[0], (batch,))]
        t = torch.randint(0, T, (batch,))
        eps = torch.randn_like(x0)
        xt = signal[t].reshape(per_sample) * x0 + noise[t].reshape(per_sample) * eps
        loss = torch.mean((eps_of(xt, t) - eps) ** 2)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if i >= warm:
            ms.append((time.perf_counter() - t0) * 1e3)
    return ms
