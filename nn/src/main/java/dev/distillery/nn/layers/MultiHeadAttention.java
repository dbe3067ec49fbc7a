package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * Multi-head self-attention over sequences {@code [B, N, D]} (Vaswani et al. 2017):
 * {@code Q = x W_q^T + b_q} (likewise K, V), split into heads of size {@code d = D / heads},
 * {@code head = softmax(Q K^T / sqrt(d)) V}, {@code y = concat(heads) W_o^T + b_o}. The
 * projections are separate Linear children {@code q, k, v, o}. PyTorch's
 * {@code nn.MultiheadAttention(D, heads, batch_first=True)} computes the same function but packs
 * q, k, v into one {@code in_proj_weight [3D, D]} (rows {@code 0..D-1} are {@code W_q}, then
 * {@code W_k}, then {@code W_v}) and {@code in_proj_bias [3D]}, with {@code out_proj.weight} and
 * {@code out_proj.bias} for {@code o}: {@link #loadPyTorchStateDict} splits such a state dict into
 * this module and {@link #toPyTorchStateDict} packs this module's back.
 */
public final class MultiHeadAttention extends Module implements Layer {
    private final int dim;
    private final int heads;
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;

    public MultiHeadAttention(int dim, int heads, Init init) {
        if (heads < 1 || dim % heads != 0) {
            throw new IllegalArgumentException("MultiHeadAttention(" + dim + ", heads " + heads
                    + "): heads must divide the dimension");
        }
        this.dim = dim;
        this.heads = heads;
        this.q = registerModule("q", new Linear(dim, dim, init));
        this.k = registerModule("k", new Linear(dim, dim, init));
        this.v = registerModule("v", new Linear(dim, dim, init));
        this.o = registerModule("o", new Linear(dim, dim, init));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 3 || x.dim(2) != dim) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " is not [B, N, " + dim + "]");
        }
        int b = x.dim(0), n = x.dim(1), d = dim / heads;
        Tensor qs = split(q.forward(x), b, n, d);
        Tensor ks = split(k.forward(x), b, n, d);
        Tensor vs = split(v.forward(x), b, n, d);
        Tensor attn = qs.matmul(ks, false, true).mul(1.0 / Math.sqrt(d)).softmax(-1);   // [b, heads, n, n]
        Tensor heads0 = attn.matmul(vs).permute(0, 2, 1, 3).reshape(b, n, dim);
        return o.forward(heads0);
    }

    /** The names of PyTorch's {@code nn.MultiheadAttention} state dict (with biases, no {@code bias_k}/{@code bias_v}). */
    public static final List<String> PYTORCH_NAMES = List.of("in_proj_weight", "in_proj_bias", "out_proj.weight",
            "out_proj.bias");

    /**
     * PyTorch's packed {@code nn.MultiheadAttention} state dict (names {@link #PYTORCH_NAMES}, no
     * prefix) as this module's: {@code q.weight = in_proj_weight[0:D]}, {@code k.weight = [D:2D]},
     * {@code v.weight = [2D:3D]}, likewise the biases, {@code o.* = out_proj.*}. Fresh tensors.
     *
     * @throws IllegalArgumentException when a name is missing or unexpected (separate
     *     {@code q_proj_weight}s for {@code kdim != embed_dim}, {@code bias_k}/{@code bias_v} are not
     *     supported) or {@code in_proj_weight} is not {@code [3D, D]}
     */
    public static LinkedHashMap<String, Tensor> fromPyTorchStateDict(Map<String, Tensor> torch) {
        if (!new TreeSet<>(torch.keySet()).equals(new TreeSet<>(PYTORCH_NAMES))) {
            throw new IllegalArgumentException("nn.MultiheadAttention state dict: expected names " + PYTORCH_NAMES
                    + " (packed in_proj, with biases, no bias_k/bias_v), got " + torch.keySet());
        }
        Tensor w = torch.get("in_proj_weight");
        Tensor bias = torch.get("in_proj_bias");
        if (w.rank() != 2 || w.dim(0) != 3 * w.dim(1) || bias.rank() != 1 || bias.dim(0) != w.dim(0)) {
            throw new IllegalArgumentException("nn.MultiheadAttention state dict: in_proj_weight " + w.shape()
                    + " and in_proj_bias " + bias.shape() + " are not [3D, D] and [3D]");
        }
        int d = w.dim(1);
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        String[] names = {"q", "k", "v"};
        for (int i = 0; i < 3; i++) {
            out.put(names[i] + ".weight", w.detach().slice(0, i * d, (i + 1) * d));
            out.put(names[i] + ".bias", bias.detach().slice(0, i * d, (i + 1) * d));
        }
        out.put("o.weight", torch.get("out_proj.weight").detach());
        out.put("o.bias", torch.get("out_proj.bias").detach());
        return out;
    }

    /** Loads PyTorch's packed state dict (see {@link #fromPyTorchStateDict}), strictly. */
    public void loadPyTorchStateDict(Map<String, Tensor> torch) {
        loadStateDict(fromPyTorchStateDict(torch), true);
    }

    /** This module's parameters under PyTorch's packed names (concatenated copies), to load with torch's {@code load_state_dict}. */
    public LinkedHashMap<String, Tensor> toPyTorchStateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        List<Tensor> ws = new ArrayList<>();
        List<Tensor> bs = new ArrayList<>();
        for (Linear l : List.of(q, k, v)) {
            Map<String, Tensor> p = l.namedParameters();
            ws.add(p.get("weight").detach());
            bs.add(p.get("bias").detach());
        }
        out.put("in_proj_weight", Tensor.concat(ws, 0));
        out.put("in_proj_bias", Tensor.concat(bs, 0));
        out.put("out_proj.weight", o.namedParameters().get("weight").detach());
        out.put("out_proj.bias", o.namedParameters().get("bias").detach());
        return out;
    }

    /** {@code [B, N, D] -> [B, heads, N, d]}. */
    private Tensor split(Tensor t, int b, int n, int d) {
        return t.reshape(b, n, heads, d).permute(0, 2, 1, 3);
    }

    @Override
    protected Module rebuild() {
        return new MultiHeadAttention(dim, heads, Init.of(q.weight().dtype(), 0));
    }

    @Override
    public String toString() {
        return "MultiHeadAttention(" + dim + ", heads " + heads + ")";
    }
}
