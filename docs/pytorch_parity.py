#!/usr/bin/python3
"""PyTorch parity of Distillery's W2 MLP and W3 U-Net forward passes.

1. Export from Java (scalar oracle backend):
     ./mvnw -B -q -o -pl nn -am compile
     java -cp nn/target/classes:autograd/target/classes dev.distillery.nn.ExportForParity /tmp/parity-out
   This writes mlp_f32, mlp_f64, unet_f32, unet_f64: each a checkpoint directory (its files,
   config.json and model.safetensors with PyTorch names/layouts, in the generation subfolder that
   the file CURRENT names) plus io.safetensors (input x, t and our output y).
2. Run:  /usr/bin/python3 docs/pytorch_parity.py /tmp/parity-out [--bench-torch DIR]
   Builds the PyTorch networks (from DIR/w2_mlp.py and DIR/w3_unet.py when given, else the
   verbatim copies below), loads our weights with load_state_dict(strict=True), runs the forward
   pass on our input in the same precision and prints the max absolute difference to our output.

Safetensors is parsed directly (8-byte little-endian header length, JSON header, raw
little-endian data), so the `safetensors` package is not needed.
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        arr = np.frombuffer(data[base + b:base + end], dtype=np.dtype(DTYPES[e["dtype"]]).newbyteorder("<"))
        out[name] = torch.from_numpy(arr.reshape(e["shape"]).copy())
    return out


# ---- verbatim copies of the benchmark definitions (bench-torch/w2_mlp.py, w3_unet.py) ----

def timestep_embedding(t, dim=128):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.to(torch.float32)[:, None] * freqs[None, :]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


def make_mlp():
    return nn.Sequential(nn.Linear(130, 256), nn.SiLU(), nn.Linear(256, 256), nn.SiLU(),
                         nn.Linear(256, 256), nn.SiLU(), nn.Linear(256, 2))


def gn(c):
    return nn.GroupNorm(8, c, eps=1e-5, affine=True)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, tdim=128):
        super().__init__()
        self.n1, self.c1 = gn(cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.tp = nn.Linear(tdim, cout)
        self.n2, self.c2 = gn(cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Identity() if cin == cout else nn.Conv2d(cin, cout, 1)

    def forward(self, x, temb):
        h = self.c1(F.silu(self.n1(x)))
        h = h + self.tp(F.silu(temb))[:, :, None, None]
        h = self.c2(F.silu(self.n2(h)))
        return self.skip(x) + h


class Attn(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n = gn(c)
        self.q, self.k, self.v = nn.Conv2d(c, c, 1), nn.Conv2d(c, c, 1), nn.Conv2d(c, c, 1)
        self.o = nn.Conv2d(c, c, 1)

    def forward(self, x):
        b, c, hh, ww = x.shape
        h = self.n(x)
        q = self.q(h).reshape(b, c, hh * ww)
        k = self.k(h).reshape(b, c, hh * ww)
        v = self.v(h).reshape(b, c, hh * ww)
        w = torch.softmax(torch.bmm(q.transpose(1, 2), k) / math.sqrt(c), dim=-1)
        out = torch.bmm(v, w.transpose(1, 2)).reshape(b, c, hh, ww)
        return x + self.o(out)


class UNet(nn.Module):
    def __init__(self, ch=32, mult=(1, 2), nrb=2, tdim=128):
        super().__init__()
        self.temb = nn.Sequential(nn.Linear(128, tdim), nn.SiLU(), nn.Linear(tdim, tdim))
        self.conv_in = nn.Conv2d(1, ch, 3, padding=1)
        self.down = nn.ModuleList()
        chans = [ch]
        cur = ch
        for li, m in enumerate(mult):
            for _ in range(nrb):
                self.down.append(ResBlock(cur, ch * m, tdim))
                cur = ch * m
                chans.append(cur)
            if li != len(mult) - 1:
                self.down.append(nn.Conv2d(cur, cur, 3, stride=2, padding=1))
                chans.append(cur)
        self.mid1, self.mid_attn, self.mid2 = ResBlock(cur, cur, tdim), Attn(cur), ResBlock(cur, cur, tdim)
        self.up = nn.ModuleList()
        for li, m in reversed(list(enumerate(mult))):
            for _ in range(nrb + 1):
                self.up.append(ResBlock(cur + chans.pop(), ch * m, tdim))
                cur = ch * m
            if li != 0:
                self.up.append(nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"),
                                             nn.Conv2d(cur, cur, 3, padding=1)))
        self.out = nn.Sequential(gn(cur), nn.SiLU(), nn.Conv2d(cur, 1, 3, padding=1))

    def forward(self, x, t):
        temb = self.temb(timestep_embedding(t, 128))
        h = self.conv_in(x)
        hs = [h]
        for mod in self.down:
            h = mod(h, temb) if isinstance(mod, ResBlock) else mod(h)
            hs.append(h)
        h = self.mid2(self.mid_attn(self.mid1(h, temb)), temb)
        for mod in self.up:
            h = mod(torch.cat([h, hs.pop()], dim=1), temb) if isinstance(mod, ResBlock) else mod(h)
        return self.out(h)


def float64_embedding(t, dim=128):
    """timestep_embedding in float64 (the benchmark's is float32-only), for the F64 comparison."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float64) / half)
    args = t.to(torch.float64)[:, None] * freqs[None, :]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


def checkpoint_files(ckpt):
    """The folder of a checkpoint's files: the generation CURRENT names (or the folder itself, earlier layout)."""
    pointer = os.path.join(ckpt, "CURRENT")
    if not os.path.exists(pointer):
        return ckpt
    with open(pointer, encoding="utf-8") as f:
        return os.path.join(ckpt, f.read().strip())


def run(kind, precision, d, mods):
    w2, w3 = mods
    ckpt = os.path.join(d, f"{kind}_{precision}")
    weights = read_safetensors(os.path.join(checkpoint_files(ckpt), "model.safetensors"))
    io = read_safetensors(os.path.join(ckpt, "io.safetensors"))
    dtype = torch.float64 if precision == "f64" else torch.float32
    net = (w2.make_mlp() if kind == "mlp" else w3.UNet()).to(dtype)
    net.load_state_dict(weights, strict=True)
    x, t, y = io["x"], io["t"], io["y"]
    emb = float64_embedding if precision == "f64" else w2.timestep_embedding
    with torch.no_grad():
        if kind == "mlp":
            ours = net(torch.cat([x, emb(t).to(dtype)], dim=1))
        else:
            if precision == "f64":
                w3.timestep_embedding = float64_embedding   # the U-Net calls the module-level function
            ours = net(x, t)
            w3.timestep_embedding = w2.timestep_embedding
    diff = (ours - y).abs().max().item()
    scale = y.abs().max().item()
    print(f"{kind:4s} {precision}: max |torch - distillery| = {diff:.3e}   (max |y| = {scale:.3f}, "
          f"{sum(p.numel() for p in net.parameters())} parameters, output {tuple(y.shape)})")
    return diff


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--bench-torch", default=None, help="directory with w2_mlp.py and w3_unet.py")
    a = ap.parse_args()
    torch.set_num_threads(1)
    if a.bench_torch:
        sys.path.insert(0, a.bench_torch)
        import w2_mlp as w2  # noqa: E402
        import w3_unet as w3  # noqa: E402
        print(f"networks from {a.bench_torch}")
    else:
        w2 = w3 = sys.modules[__name__]
        print("networks from the verbatim copies in this script")
    worst = {}
    for kind in ("mlp", "unet"):
        for precision in ("f32", "f64"):
            worst[(kind, precision)] = run(kind, precision, a.out_dir, (w2, w3))
    ok = all(v < (1e-4 if p == "f32" else 1e-10) for (k, p), v in worst.items())
    print("PASS" if ok else "FAIL", "(bounds: 1e-4 in F32, 1e-10 in F64)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
