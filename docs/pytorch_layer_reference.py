#!/usr/bin/python3
"""Reference values for the PyTorch-fidelity layer tests of issue 23 (second part): torch 1.13 in float64
on inputs both sides compute exactly (small integers and dyadic fractions), printed as Java literals.

Run:  /usr/bin/python3 docs/pytorch_layer_reference.py [case ...]
Each case prints the arrays a test in nn/src/test pins (the test names the case); repr() of a double
is its shortest round-trip decimal, so the Java literal parses to the same double.

  maxpool      MaxPool2dTorchTest: dilation, rectangular kernel/stride/padding, ceil_mode, return_indices,
               ties and NaN (which maximum PyTorch picks), the input gradient.
  upsample     UpsampleSizeTorchTest: F.interpolate with an explicit size (nearest, bilinear with and without
               align_corners, up and down, non-integer ratios) and nearest by a factor whose output size equals
               the input's; the bilinear input gradient.
  conv         ConvRectangularTorchTest: Conv2d with rectangular kernel, stride, padding and dilation (zeros and
               reflect padding, unequal strides), ConvTranspose2d with dilation, output_padding and rectangular
               sizes (padding above and below d (k - 1)); outputs and the gradients of x, weight and bias.
  mha          MultiHeadAttentionTorchTest: nn.MultiheadAttention with kdim/vdim (q_proj_weight, k_proj_weight,
               v_proj_weight) and add_bias_kv (bias_k, bias_v), loaded from torch's state dict; output and the
               gradients of query, key, value.
"""
import math
import sys

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
D = torch.float64


def ramp(n, mul=37, mod=101, shift=50, scale=16.0):
    """x_i = ((i mul) mod m - shift) / scale: distinct (for n <= m, m prime), exact in binary; Java: Ref.ramp."""
    return [((i * mul) % mod - shift) / scale for i in range(n)]


def tensor(values, *shape):
    return torch.tensor(values, dtype=D).reshape(*shape)


def java(name, t):
    flat = t.detach().reshape(-1).tolist()
    if t.dtype == torch.int64:
        body = ", ".join(str(v) for v in flat)
        print(f"    static final long[] {name} = {{{body}}};")
        return
    body = ", ".join(literal(v) for v in flat)
    print(f"    static final double[] {name} = {{{body}}};  // shape {list(t.shape)}")


def literal(v):
    if math.isnan(v):
        return "Double.NaN"
    if math.isinf(v):
        return "Double.POSITIVE_INFINITY" if v > 0 else "Double.NEGATIVE_INFINITY"
    return repr(float(v))


def maxpool():
    print("// maxpool: F.max_pool2d(x, (3, 2), stride=(2, 1), padding=(1, 1), dilation=(2, 1), ceil_mode=True,"
          " return_indices=True), x = ramp(84) as [2, 2, 7, 3], upstream r = ramp(..., 13, 29, 14, 8)")
    x = tensor(ramp(84), 2, 2, 7, 3).requires_grad_(True)
    y, i = F.max_pool2d(x, (3, 2), stride=(2, 1), padding=(1, 1), dilation=(2, 1), ceil_mode=True, return_indices=True)
    r = tensor(ramp(y.numel(), 13, 29, 14, 8.0), *y.shape)
    (y * r).sum().backward()
    java("DILATED_Y", y)
    java("DILATED_INDICES", i)
    java("DILATED_GRAD", x.grad)
    print("// maxpool ties: x = (7 i) mod 5 as [1, 1, 5, 5] (many equal maxima), kernel 3, stride 1, padding 1;"
          " gradient of y.sum()")
    x = tensor([float((7 * k) % 5) for k in range(25)], 1, 1, 5, 5).requires_grad_(True)
    y, i = F.max_pool2d(x, 3, stride=1, padding=1, return_indices=True)
    y.sum().backward()
    java("TIES_Y", y)
    java("TIES_INDICES", i)
    java("TIES_GRAD", x.grad)
    print("// maxpool NaN and -inf: x = [[nan, 1, nan], [1, 3, 2], [-inf, -inf, 2]] as [1, 1, 3, 3], kernel 2, stride 1,"
          " padding 1;"
          " then kernel 3 (two NaNs in a window)")
    n, inf = math.nan, math.inf
    x = tensor([n, 1, n, 1, 3, 2, -inf, -inf, 2], 1, 1, 3, 3)
    y, i = F.max_pool2d(x, 2, stride=1, padding=1, return_indices=True)
    java("SPECIAL_Y", y)
    java("SPECIAL_INDICES", i)
    y, i = F.max_pool2d(x, 3, stride=1, padding=1, return_indices=True)
    java("SPECIAL3_Y", y)
    java("SPECIAL3_INDICES", i)
    print("// maxpool ceil_mode drops a window starting in the right padding: [1, 1, 5, 5] ramp(25), kernel 2,"
          " stride 2, padding 1")
    x = tensor(ramp(25), 1, 1, 5, 5)
    y, i = F.max_pool2d(x, 2, stride=2, padding=1, ceil_mode=True, return_indices=True)
    java("CEIL_Y", y)
    java("CEIL_INDICES", i)


def upsample():
    print("// upsample: x = ramp(2 * 6 * 5) as [1, 2, 6, 5]; F.interpolate(x, size=...); upstream r = ramp(..., 13, 29, 14, 8)")
    x = tensor(ramp(60), 1, 2, 6, 5)
    for key, size, mode, corners in (("NEAREST_UP", (13, 7), "nearest", None), ("NEAREST_DOWN", (4, 3), "nearest", None),
                                     ("BILINEAR_UP", (13, 7), "bilinear", False),
                                     ("BILINEAR_DOWN", (4, 3), "bilinear", False),
                                     ("ALIGNED_UP", (13, 7), "bilinear", True), ("ALIGNED_DOWN", (4, 1), "bilinear", True)):
        xg = x.clone().requires_grad_(True)
        y = F.interpolate(xg, size=size, mode=mode, align_corners=corners)
        java(key, y)
        if mode == "bilinear":
            r = tensor(ramp(y.numel(), 13, 29, 14, 8.0), *y.shape)
            (y * r).sum().backward()
            java(key + "_GRAD", xg.grad)
    print("// upsample nearest index rule: [1, 1, 1, 6] to size (1, 74) (single-precision scale: output 37 reads input 2)"
          " and [1, 1, 1, 5] by scale_factor (1, 1.1) (floor(5 * 1.1) = 5 outputs: the identity)")
    java("NEAREST_74", F.interpolate(tensor([float(k) for k in range(6)], 1, 1, 1, 6), size=(1, 74), mode="nearest"))
    java("NEAREST_FACTOR_1_1", F.interpolate(tensor([float(k) for k in range(5)], 1, 1, 1, 5), scale_factor=(1.1, 1.1),
                                             mode="nearest"))


def conv_case(prefix, module, x_shape):
    """Weights ramp(n, 29, 97, 48, 32), bias ramp(n, 11, 23, 11, 4), x ramp(n), upstream ramp(n, 13, 29, 14, 8)."""
    with torch.no_grad():
        module.weight.copy_(tensor(ramp(module.weight.numel(), 29, 97, 48, 32.0), *module.weight.shape))
        module.bias.copy_(tensor(ramp(module.bias.numel(), 11, 23, 11, 4.0), *module.bias.shape))
    x = tensor(ramp(math.prod(x_shape)), *x_shape).requires_grad_(True)
    y = module(x)
    r = tensor(ramp(y.numel(), 13, 29, 14, 8.0), *y.shape)
    (y * r).sum().backward()
    java(prefix + "_Y", y)
    java(prefix + "_GRAD_X", x.grad)
    java(prefix + "_GRAD_W", module.weight.grad)
    java(prefix + "_GRAD_B", module.bias.grad)


def conv():
    print("// conv: weights ramp(n, 29, 97, 48, 32), bias ramp(n, 11, 23, 11, 4), x ramp(n), upstream ramp(n, 13, 29, 14, 8)")
    print("// Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(2, 1), dilation=(1, 2), groups=2) on [2, 4, 7, 6]")
    conv_case("RECT", torch.nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(2, 1), dilation=(1, 2), groups=2).double(),
              (2, 4, 7, 6))
    print("// Conv2d(2, 3, (2, 3), stride=(3, 2), padding=(1, 2), dilation=(2, 1), padding_mode='reflect') on [1, 2, 8, 7]")
    conv_case("REFLECT", torch.nn.Conv2d(2, 3, (2, 3), stride=(3, 2), padding=(1, 2), dilation=(2, 1),
                                         padding_mode="reflect").double(), (1, 2, 8, 7))
    print("// ConvTranspose2d(4, 6, (3, 2), stride=(2, 3), padding=(1, 2), output_padding=(1, 2), groups=2,"
          " dilation=(2, 3)) on [2, 4, 3, 4]")
    conv_case("TRANSPOSED", torch.nn.ConvTranspose2d(4, 6, (3, 2), stride=(2, 3), padding=(1, 2), output_padding=(1, 2),
                                                     groups=2, dilation=(2, 3)).double(), (2, 4, 3, 4))
    print("// ConvTranspose2d(2, 3, (2, 3), stride=(1, 2), padding=(2, 0), output_padding=(0, 1)) on [1, 2, 4, 3]"
          " (padding above d (k - 1) on H: the output is cropped)")
    conv_case("CROPPED", torch.nn.ConvTranspose2d(2, 3, (2, 3), stride=(1, 2), padding=(2, 0),
                                                  output_padding=(0, 1)).double(), (1, 2, 4, 3))


def mha_case(prefix, m, q_shape, k_shape, v_shape):
    """State dict in torch's order filled from one ramp(total, 29, 97, 48, 32); query ramp(n), key ramp(n, 7, 61, 30, 16),
    value ramp(n, 11, 67, 33, 16); upstream ramp(n, 13, 29, 14, 8)."""
    sd = m.state_dict()
    total = sum(t.numel() for t in sd.values())
    flat = ramp(total, 29, 97, 48, 32.0)
    at, new = 0, {}
    for k, t in sd.items():
        new[k] = tensor(flat[at:at + t.numel()], *t.shape)
        at += t.numel()
    m.load_state_dict(new)
    print(f"// {prefix} state dict names: {list(sd.keys())}")
    q = tensor(ramp(math.prod(q_shape)), *q_shape).requires_grad_(True)
    k = tensor(ramp(math.prod(k_shape), 7, 61, 30, 16.0), *k_shape).requires_grad_(True)
    v = tensor(ramp(math.prod(v_shape), 11, 67, 33, 16.0), *v_shape).requires_grad_(True)
    y = m(q, k, v, need_weights=False)[0]
    r = tensor(ramp(y.numel(), 13, 29, 14, 8.0), *y.shape)
    (y * r).sum().backward()
    java(prefix + "_Y", y)
    java(prefix + "_GRAD_Q", q.grad)
    java(prefix + "_GRAD_K", k.grad)
    java(prefix + "_GRAD_V", v.grad)
    java(prefix + "_GRAD_BIAS_K", m.bias_k.grad)


def mha():
    print("// mha: nn.MultiheadAttention(4, 2, kdim=3, vdim=5, add_bias_kv=True, batch_first=True), query [2, 3, 4],"
          " key [2, 5, 3], value [2, 5, 5]")
    mha_case("CROSS", torch.nn.MultiheadAttention(4, 2, kdim=3, vdim=5, add_bias_kv=True, batch_first=True).double(),
             (2, 3, 4), (2, 5, 3), (2, 5, 5))
    print("// mha: nn.MultiheadAttention(4, 2, add_bias_kv=True, batch_first=True) (packed), query [1, 3, 4], key and"
          " value [1, 2, 4]")
    mha_case("PACKED", torch.nn.MultiheadAttention(4, 2, add_bias_kv=True, batch_first=True).double(),
             (1, 3, 4), (1, 2, 4), (1, 2, 4))


CASES = {"maxpool": maxpool, "upsample": upsample, "conv": conv, "mha": mha}

if __name__ == "__main__":
    print(f"// torch {torch.__version__}")
    for name in sys.argv[1:] or CASES:
        CASES[name]()
