#!/usr/bin/python3
"""PyTorch parity of Distillery's W2 MLP and W3 U-Net forward passes.

1. Export from Java (scalar oracle backend):
     ./mvnw -B -q -o -pl nn -am compile
     java -cp nn/target/classes:autograd/target/classes dev.distillery.nn.ExportForParity /tmp/parity-out
   This writes mlp_f32, mlp_f64, unet_f32, unet_f64: each a checkpoint directory (its files,
   config.json and model.safetensors with PyTorch names/layouts, in the generation subfolder that
   the file CURRENT names) plus io.safetensors (input x, t and our output y).
2. Run:  /usr/bin/python3 docs/pytorch_parity.py /tmp/parity-out
   Builds the PyTorch networks of the benchmark programs (bench/torch/workloads.py), loads our
   weights with load_state_dict(strict=True), runs the forward pass on our input in the same
   precision and prints the max absolute difference to our output.

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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench", "torch"))
import workloads  # noqa: E402

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


def float64_embedding(t, dim=128):
    """The time embedding in float64 (the benchmark's is float32-only), for the F64 comparison."""
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


def run(kind, precision, d):
    ckpt = os.path.join(d, f"{kind}_{precision}")
    weights = read_safetensors(os.path.join(checkpoint_files(ckpt), "model.safetensors"))
    io = read_safetensors(os.path.join(ckpt, "io.safetensors"))
    dtype = torch.float64 if precision == "f64" else torch.float32
    net = (workloads.mlp() if kind == "mlp" else workloads.UNet()).to(dtype)
    net.load_state_dict(weights, strict=True)
    x, t, y = io["x"], io["t"], io["y"]
    float32_embedding = workloads.time_embedding
    if precision == "f64":
        workloads.time_embedding = float64_embedding   # the U-Net calls the module-level function
    try:
        with torch.no_grad():
            if kind == "mlp":
                ours = net(torch.cat([x, workloads.time_embedding(t).to(dtype)], dim=1))
            else:
                ours = net(x, t)
    finally:
        workloads.time_embedding = float32_embedding
    diff = (ours - y).abs().max().item()
    scale = y.abs().max().item()
    print(f"{kind:4s} {precision}: max |torch - distillery| = {diff:.3e}   (max |y| = {scale:.3f}, "
          f"{sum(p.numel() for p in net.parameters())} parameters, output {tuple(y.shape)})")
    return diff


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    a = ap.parse_args()
    torch.set_num_threads(1)
    worst = {}
    for kind in ("mlp", "unet"):
        for precision in ("f32", "f64"):
            worst[(kind, precision)] = run(kind, precision, a.out_dir)
    ok = all(v < (1e-4 if p == "f32" else 1e-10) for (k, p), v in worst.items())
    print("PASS" if ok else "FAIL", "(bounds: 1e-4 in F32, 1e-10 in F64)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
