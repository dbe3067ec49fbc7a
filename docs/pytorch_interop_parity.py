#!/usr/bin/python3
"""PyTorch parity of Distillery's optimizers (per-parameter steps, parameter groups, amsgrad,
maximize, the optimizer state dict), safetensors dtypes and op edge cases (issue 23).

1. Export from Java (scalar oracle backend, float64):
     ./mvnw -B -q -o -pl nn -am compile
     java -cp nn/target/classes:autograd/target/classes dev.distillery.nn.ExportInteropParity /tmp/interop-out
2. Run:  /usr/bin/python3 docs/pytorch_interop_parity.py /tmp/interop-out
   For each optimizer case it runs torch.optim on the same losses, compares every step, compares
   our saved state dict with torch's, and loads ours into torch (load_state_dict) and takes one
   more step in both directions of the comparison. It decodes our file of every dtype and
   compares each tensor with torch's conversion of the same values, bit for bit. It recomputes
   the op edge cases and the layers (BatchNorm2d/1d in training and evaluation with their running
   statistics, MaxPool2d with padding, rank-1 matmul, conv_transpose2d, conv2d dilation and padding modes, bilinear and non-integer interpolate, nn.MultiheadAttention loaded from our
   packed in_proj_weight) in torch. Output: docs/pytorch_interop_parity.txt.

Safetensors is parsed directly (8-byte little-endian header length, JSON header, raw data), so
the `safetensors` package is not needed.
"""
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

TORCH_DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
                "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
                "BOOL": torch.bool}

GRADS = [[0.5, -1.0], [0.25, 2.0], [-1.5, 0.75], [1.0, 1.0], [-0.5, 0.5]]
HGRADS = [[0.3, -0.7], [1.2, 0.4], [-0.6, 0.9], [0.8, -0.2], [0.05, -1.5]]
FLOATS = [0, -0.0, 1, -2.5, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 1 + 2 ** -8, 1 + 3 * 2 ** -8, 65504, 65519.99, 65520,
          2 ** -24, 2 ** -25, 3 * 2 ** -26, 0.1, -1e-3, 3.4e38, 1e-40, math.inf, -math.inf]


def read_safetensors(path):
    """name -> (torch tensor in the file's dtype, dtype name); metadata."""
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
        raw = bytearray(data[base + b:base + end])
        dt = TORCH_DTYPES[e["dtype"]]
        t = torch.frombuffer(raw, dtype=dt) if raw else torch.empty(0, dtype=dt)
        out[name] = t.reshape(e["shape"]).clone()
    return out, header.get("__metadata__", {})


def torch_optimizer(case, a, b):
    if case == "late_start":
        return torch.optim.Adam([a, b], lr=0.01, betas=(0.9, 0.99))
    if case == "groups":
        return torch.optim.AdamW([{"params": [a]},
                                  {"params": [b], "lr": 0.05, "betas": (0.5, 0.9), "weight_decay": 0.0}],
                                 lr=0.01, betas=(0.9, 0.99), weight_decay=0.1)
    return torch.optim.AdamW([a, b], lr=0.01, betas=(0.9, 0.99), weight_decay=0.1, amsgrad=True, maximize=True)


def loss_at(k, a, b, b_from):
    loss = (torch.tensor(GRADS[k], dtype=torch.float64) * a).sum()
    if k >= b_from:
        loss = loss + (torch.tensor(HGRADS[k], dtype=torch.float64) * b).sum()
    return loss


def our_state_dict(d):
    """torch's {'state', 'param_groups'} rebuilt from our optimizer.safetensors + optimizer.json."""
    tensors, _ = read_safetensors(os.path.join(d, "optimizer.safetensors"))
    with open(os.path.join(d, "optimizer.json")) as f:
        groups = json.load(f)["param_groups"]
    state = {}
    for key, t in tensors.items():
        _, index, slot = key.split(".", 2)
        state.setdefault(int(index), {})[slot] = t
    for g in groups:
        g.pop("param_names", None)          # torch < 2.6 does not know it
        g["betas"] = tuple(g["betas"])
    return {"state": state, "param_groups": groups}


def optimizer_case(case, d, report):
    traj, meta = read_safetensors(os.path.join(d, "trajectory.safetensors"))
    steps, b_from = int(meta["steps"]), int(meta["b_from"])
    a = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.5, 3.0], dtype=torch.float64, requires_grad=True)
    opt = torch_optimizer(case, a, b)
    worst = 0.0
    for k in range(steps):
        opt.zero_grad()
        loss_at(k, a, b, b_from).backward()
        opt.step()
        ours = traj["params"][k]
        worst = max(worst, (torch.cat([a.detach(), b.detach()]) - ours).abs().max().item())
    ref = opt.state_dict()
    sd = our_state_dict(d)
    state_diff = 0.0
    keys_equal = sorted(ref["state"].keys()) == sorted(sd["state"].keys())
    for i, slots in ref["state"].items():
        mine = sd["state"].get(i, {})
        keys_equal &= list(slots.keys()) == list(mine.keys())
        for slot, t in slots.items():
            if slot in mine:
                state_diff = max(state_diff, (t.double() - mine[slot].double()).abs().max().item())
    group_keys = [sorted(set(g) - {"params"}) == sorted(set(h) - {"params"})
                  for g, h in zip(ref["param_groups"], sd["param_groups"])]
    # ours loaded into a fresh torch optimizer continues exactly as torch's own
    a2 = a.detach().clone().requires_grad_(True)
    b2 = b.detach().clone().requires_grad_(True)
    opt2 = torch_optimizer(case, a2, b2)
    opt2.load_state_dict(sd)
    k = steps % len(GRADS)
    for (p, q, o) in ((a, b, opt), (a2, b2, opt2)):
        o.zero_grad()
        loss_at(k, p, q, 0).backward()
        o.step()
    resumed = max((a - a2).abs().max().item(), (b - b2).abs().max().item())
    ok = worst < 1e-14 and state_diff < 1e-14 and keys_equal and all(group_keys) and resumed == 0.0
    report.append(f"optim {case:17s}: max |torch - ours| over {steps} steps = {worst:.2e}; state dict: same keys "
                  f"{keys_equal and all(group_keys)}, max tensor diff {state_diff:.2e}; torch resumed from our "
                  f"state dict then stepped: diff {resumed:.2e}  {'OK' if ok else 'FAIL'}")
    return ok


def dtypes_case(out, report):
    tensors, _ = read_safetensors(os.path.join(out, "dtypes.safetensors"))
    ok_all = True
    src = torch.tensor(FLOATS, dtype=torch.float64)
    for name in ("F64", "F32", "F16", "BF16"):
        ref = src.to(TORCH_DTYPES[name])
        ours = tensors[name]
        same = torch.equal(ref.view(torch.int16 if ours.element_size() == 2 else
                                    torch.int32 if ours.element_size() == 4 else torch.int64),
                           ours.view(torch.int16 if ours.element_size() == 2 else
                                     torch.int32 if ours.element_size() == 4 else torch.int64))
        bad = [FLOATS[i] for i in range(len(FLOATS)) if not (ref[i] == ours[i] or (ref[i] != ref[i] and ours[i] != ours[i]))
               or math.copysign(1, ref[i].item()) != math.copysign(1, ours[i].item())]
        ok_all &= same
        report.append(f"dtype {name:4s}: {len(FLOATS)} values bit-equal to torch's .to({TORCH_DTYPES[name]}): {same}"
                      + ("" if same else f"  differing inputs {bad}"))
    ints = {"I64": [-2 ** 63, -1, 12345, 2 ** 63 - 1], "I32": [-2 ** 31, -1, 7, 2 ** 31 - 1], "I16": [-32768, -2, 3, 32767],
            "I8": [-128, -1, 1, 127], "U8": [0, 1, 128, 255], "BOOL": [False, True, True, False]}
    for name, values in ints.items():
        same = torch.equal(tensors[name], torch.tensor(values, dtype=TORCH_DTYPES[name]))
        ok_all &= same
        report.append(f"dtype {name:4s}: equal to torch.tensor({values}, dtype={TORCH_DTYPES[name]}): {same}")
    return ok_all


def ops_case(out, report):
    ours, _ = read_safetensors(os.path.join(out, "ops.safetensors"))
    checks = []
    a = torch.tensor([0, 0, 0, 0, 2], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0, 1, 2, 2.5, 3], dtype=torch.float64, requires_grad=True)
    a.pow(b).sum().backward()
    checks += [("pow grad base", a.grad, ours["pow_grad_base"]), ("pow grad exponent", b.grad, ours["pow_grad_exponent"])]
    inf = math.inf
    x = torch.tensor([[-inf, -inf], [1, inf], [-inf, 0], [0, math.log(3)]], dtype=torch.float64)
    checks.append(("logsumexp", torch.logsumexp(x, 1), ours["logsumexp"]))
    r = torch.tensor([math.nan, -1, 0, 2], dtype=torch.float64, requires_grad=True)
    ry = torch.relu(r)
    ry.sum().backward()
    checks += [("relu", ry.detach(), ours["relu"]), ("relu grad", r.grad, ours["relu_grad"])]
    c = torch.tensor([-0.5, 0.7, 0.1, -2, 2], dtype=torch.float64, requires_grad=True)
    c.clamp(-0.5, 0.7).sum().backward()
    checks.append(("clamp grad", c.grad, ours["clamp_grad"]))
    checks.append(("leaky_relu default", F.leaky_relu(torch.tensor([-2.0, 3.0], dtype=torch.float64)),
                   ours["leaky_relu_default"]))
    t = torch.tensor([0, 1, 17, 999, 500.5, 3.25], dtype=torch.float32)
    half = 64
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t[:, None] * freqs[None, :]
    emb = torch.cat([torch.sin(args), torch.cos(args)], dim=1)
    ok = True
    for name, ref, mine in checks:
        same = torch.allclose(ref, mine, rtol=0, atol=1e-15, equal_nan=True)
        ok &= same
        report.append(f"op {name:18s}: torch {ref.tolist()}  ours {mine.tolist()}  {'OK' if same else 'FAIL'}")
    diff = (emb - ours["embedding_f32"]).abs().max().item()
    ok &= diff < 1e-6
    report.append(f"op embedding F32    : max |torch - ours| = {diff:.2e} over t = {t.tolist()} (bound 1e-6)")
    return ok


def layers_case(out, report):
    """BatchNorm2d/1d (train, running stats, eval), MaxPool2d with padding and rank-1 matmul in torch."""
    ours, _ = read_safetensors(os.path.join(out, "layers.safetensors"))
    checks = []
    bn = torch.nn.BatchNorm2d(3).double()
    with torch.no_grad():
        bn.weight.copy_(torch.tensor([1.5, -0.5, 2], dtype=torch.float64))
        bn.bias.copy_(torch.tensor([0.1, 0.2, -0.3], dtype=torch.float64))
    checks.append(("bn2d train y1", bn(ours["bn2d_x1"]).detach(), ours["bn2d_y1"]))
    x2 = ours["bn2d_x2"].clone().requires_grad_(True)
    y2 = bn(x2)
    (y2 * ours["bn2d_r"]).sum().backward()
    checks += [("bn2d train y2", y2.detach(), ours["bn2d_y2"]), ("bn2d grad x", x2.grad, ours["bn2d_x2_grad"]),
               ("bn2d grad weight", bn.weight.grad, ours["bn2d_weight_grad"]),
               ("bn2d grad bias", bn.bias.grad, ours["bn2d_bias_grad"])]
    state = bn.state_dict()
    names_equal = list(state.keys()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    for k in ("running_mean", "running_var", "num_batches_tracked"):
        checks.append((f"bn2d {k}", state[k].double(), ours["bn2d_" + k]))
    bn.eval()
    checks.append(("bn2d eval y3", bn(ours["bn2d_x3"]).detach(), ours["bn2d_y3"]))
    bn1 = torch.nn.BatchNorm1d(2, momentum=None).double()
    bn1(ours["bn1d_x1"])
    checks.append(("bn1d cumulative y2", bn1(ours["bn1d_x2"]).detach(), ours["bn1d_y2"]))
    for k, t in bn1.state_dict().items():
        if k.startswith("running") or k == "num_batches_tracked":
            checks.append((f"bn1d {k}", t.double(), ours["bn1d_" + k]))
    px = ours["maxpool_x"].clone().requires_grad_(True)
    py = F.max_pool2d(px, 3, stride=2, padding=1)
    (py * ours["maxpool_r"]).sum().backward()
    checks += [("maxpool y", py.detach(), ours["maxpool_y"]), ("maxpool grad x", px.grad, ours["maxpool_x_grad"])]
    v, m, mt = ours["mm_v"], ours["mm_m"], ours["mm_mt"]
    checks += [("matmul [k] x [b,k,n]", torch.matmul(v, m), ours["mm_v_m"]),
               ("matmul [m,k] x [k]", torch.matmul(mt, v), ours["mm_mt_v"]),
               ("matmul [k] x [k]", torch.matmul(v, v).reshape(1), ours["mm_v_v"])]
    cx = ours["convt_x"].clone().requires_grad_(True)
    cw = ours["convt_weight"].clone().requires_grad_(True)
    cy = F.conv_transpose2d(cx, cw, ours["convt_bias"], stride=2, padding=1, output_padding=1, groups=2)
    (cy * ours["convt_r"]).sum().backward()
    checks += [("conv_transpose2d y", cy.detach(), ours["convt_y"]), ("conv_transpose2d grad x", cx.grad, ours["convt_x_grad"]),
               ("conv_transpose2d grad w", cw.grad, ours["convt_weight_grad"])]
    for mode in ("zeros", "reflect", "replicate", "circular"):
        conv = torch.nn.Conv2d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2, padding_mode=mode).double()
        conv.load_state_dict({k: ours[f"conv_{mode}_{k}"] for k in ("weight", "bias")})
        checks.append((f"conv2d dilation 2 {mode}", conv(ours["conv_x"]).detach(), ours[f"conv_{mode}_y"]))
    ux = ours["upsample_x"]
    for key, factor, mode, corners in (("upsample_bilinear_1.5", 1.5, "bilinear", False),
                                       ("upsample_bilinear_aligned_2.5", 2.5, "bilinear", True),
                                       ("upsample_nearest_1.5", 1.5, "nearest", None),
                                       ("upsample_bilinear_0.5", 0.5, "bilinear", False)):
        ref = F.interpolate(ux, scale_factor=factor, mode=mode, align_corners=corners)
        checks.append((key.replace("upsample_", "interpolate "), ref, ours[key]))
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True).double()
    mha.load_state_dict({k: ours["mha_" + k] for k in ("in_proj_weight", "in_proj_bias", "out_proj.weight",
                                                        "out_proj.bias")})
    sx = ours["mha_x"]
    checks.append(("MultiheadAttention", mha(sx, sx, sx, need_weights=False)[0].detach(), ours["mha_y"]))
    ok = names_equal
    report.append(f"layer bn2d state dict names as torch's {list(state.keys())}: {names_equal}")
    for name, ref, mine in checks:
        same = ref.shape == mine.shape
        diff = (ref - mine).abs().max().item() if same else math.inf
        good = same and diff < 1e-13
        ok &= good
        report.append(f"layer {name:22s}: shape {list(ref.shape)} {'same' if same else 'DIFFERS ' + str(list(mine.shape))}, "
                      f"max |torch - ours| = {diff:.2e}  {'OK' if good else 'FAIL'}")
    return ok


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "interop-out"
    torch.set_num_threads(1)
    report = [f"torch {torch.__version__}"]
    ok = all([optimizer_case(c, os.path.join(out, "optim", c), report)
              for c in ("late_start", "groups", "amsgrad_maximize")])
    ok &= dtypes_case(out, report)
    ok &= ops_case(out, report)
    ok &= layers_case(out, report)
    report.append("PASS" if ok else "FAIL")
    text = "\n".join(report)
    print(text)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytorch_interop_parity.txt"), "w") as f:
        f.write(text + "\n")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
