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
 * Multi-head attention over sequences (Vaswani et al. 2017), as PyTorch's
 * {@code nn.MultiheadAttention(embed_dim, num_heads, kdim, vdim, add_bias_kv, batch_first=True)}:
 * for a query {@code [B, L, E]}, key {@code [B, S, kdim]} and value {@code [B, S, vdim]},
 * {@code Q = query W_q^T + b_q}, {@code K = key W_k^T + b_k}, {@code V = value W_v^T + b_v} (all
 * {@code E} wide), with {@code add_bias_kv} the learned rows {@code bias_k}, {@code bias_v}
 * ({@code [1, 1, E]}) appended to K and V as an extra key/value position (so S + 1), split into
 * heads of size {@code d = E / heads}, {@code head = softmax(Q K^T / sqrt(d)) V},
 * {@code y = concat(heads) W_o^T + b_o}. {@link #forward(Tensor)} is self-attention
 * (query = key = value, which needs {@code kdim = vdim = E}). No masks, dropout or
 * {@code add_zero_attn}.
 *
 * <p>The projections are separate Linear children {@code q}, {@code k}, {@code v}, {@code o}
 * ({@code k} is {@code kdim -> E}, {@code v} is {@code vdim -> E}), plus parameters {@code bias_k},
 * {@code bias_v} with {@code add_bias_kv}. PyTorch names them otherwise, and
 * {@link #loadPyTorchStateDict} / {@link #toPyTorchStateDict} convert: when
 * {@code kdim = vdim = E} it packs q, k, v into one {@code in_proj_weight [3E, E]} (rows
 * {@code 0..E-1} are {@code W_q}, then {@code W_k}, then {@code W_v}); otherwise it keeps them
 * apart as {@code q_proj_weight [E, E]}, {@code k_proj_weight [E, kdim]}, {@code v_proj_weight
 * [E, vdim]}; in both cases the biases are packed in {@code in_proj_bias [3E]}, {@code o} is
 * {@code out_proj.weight}/{@code out_proj.bias}, and {@code bias_k}, {@code bias_v} keep their
 * names. Initialisation: Linear's for the projections (not PyTorch's xavier-uniform and zero
 * biases), {@code bias_k}, {@code bias_v} normal with PyTorch's xavier-normal standard deviation
 * {@code sqrt(2 / (E + E))}.
 */
public final class MultiHeadAttention extends Module implements Layer {
    private final int dim;
    private final int heads;
    private final int kdim;
    private final int vdim;
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;
    private final Tensor biasK;
    private final Tensor biasV;

    /** Self-attention: {@code nn.MultiheadAttention(dim, heads, batch_first=True)}. */
    public MultiHeadAttention(int dim, int heads, Init init) {
        this(dim, heads, dim, dim, false, init);
    }

    /** {@code nn.MultiheadAttention(dim, heads, kdim=kdim, vdim=vdim, add_bias_kv=addBiasKv, batch_first=True)}. */
    public MultiHeadAttention(int dim, int heads, int kdim, int vdim, boolean addBiasKv, Init init) {
        if (heads < 1 || dim < 1 || dim % heads != 0 || kdim < 1 || vdim < 1) {
            throw new IllegalArgumentException("MultiHeadAttention(" + dim + ", heads " + heads + ", kdim " + kdim
                    + ", vdim " + vdim + "): the sizes must be positive and heads must divide the dimension");
        }
        this.dim = dim;
        this.heads = heads;
        this.kdim = kdim;
        this.vdim = vdim;
        this.q = registerModule("q", new Linear(dim, dim, init));
        this.k = registerModule("k", new Linear(kdim, dim, init));
        this.v = registerModule("v", new Linear(vdim, dim, init));
        this.o = registerModule("o", new Linear(dim, dim, init));
        double std = Math.sqrt(2.0 / (dim + dim));
        this.biasK = addBiasKv ? registerParameter("bias_k", init.normal(std, 1, 1, dim)) : null;
        this.biasV = addBiasKv ? registerParameter("bias_v", init.normal(std, 1, 1, dim)) : null;
    }

    /** Self-attention, {@code forward(x, x, x)}. */
    @Override
    public Tensor forward(Tensor x) {
        if (kdim != dim || vdim != dim) {
            throw new IllegalArgumentException(this + ": self-attention needs kdim = vdim = " + dim
                    + "; call forward(query, key, value) with keys of width " + kdim + " and values of width " + vdim);
        }
        return forward(x, x, x);
    }

    /** Attention of {@code query [B, L, E]} over {@code key [B, S, kdim]} and {@code value [B, S, vdim]}: {@code [B, L, E]}. */
    public Tensor forward(Tensor query, Tensor key, Tensor value) {
        if (query.rank() != 3 || query.dim(2) != dim || key.rank() != 3 || key.dim(2) != kdim || value.rank() != 3
                || value.dim(2) != vdim || key.dim(0) != query.dim(0) || value.dim(0) != query.dim(0)
                || key.dim(1) != value.dim(1)) {
            throw new IllegalArgumentException(this + ": query " + query.shape() + ", key " + key.shape() + ", value "
                    + value.shape() + " are not [B, L, " + dim + "], [B, S, " + kdim + "], [B, S, " + vdim + "]");
        }
        int b = query.dim(0), n = query.dim(1), d = dim / heads;
        Tensor qp = q.forward(query);
        Tensor kp = k.forward(key);
        Tensor vp = v.forward(value);
        int s = key.dim(1);
        if (biasK != null) {
            kp = Tensor.concat(List.of(kp, biasK.expand(b, 1, dim)), 1);
            vp = Tensor.concat(List.of(vp, biasV.expand(b, 1, dim)), 1);
            s++;
        }
        Tensor qs = split(qp, b, n, d);
        Tensor ks = split(kp, b, s, d);
        Tensor vs = split(vp, b, s, d);
        Tensor attn = qs.matmul(ks, false, true).mul(1.0 / Math.sqrt(d)).softmax(-1);   // [b, heads, n, s]
        Tensor heads0 = attn.matmul(vs).permute(0, 2, 1, 3).reshape(b, n, dim);
        return o.forward(heads0);
    }

    /** The names of PyTorch's self-attention {@code nn.MultiheadAttention} state dict (packed, with biases, no {@code bias_k}/{@code bias_v}). */
    public static final List<String> PYTORCH_NAMES = List.of("in_proj_weight", "in_proj_bias", "out_proj.weight",
            "out_proj.bias");

    /** PyTorch's separate projection weights, used when {@code kdim} or {@code vdim} differs from the embedding. */
    private static final List<String> SEPARATE = List.of("q_proj_weight", "k_proj_weight", "v_proj_weight");

    /** The names of this module's state dict as PyTorch's {@code nn.MultiheadAttention} writes them, in its order. */
    public List<String> pyTorchNames() {
        List<String> names = new ArrayList<>(packed() ? List.of("in_proj_weight") : SEPARATE);
        names.add("in_proj_bias");
        if (biasK != null) {
            names.addAll(List.of("bias_k", "bias_v"));
        }
        names.addAll(List.of("out_proj.weight", "out_proj.bias"));
        return names;
    }

    private boolean packed() {
        return kdim == dim && vdim == dim;
    }

    /**
     * PyTorch's {@code nn.MultiheadAttention} state dict (no prefix) under this module's names:
     * {@code q.weight = in_proj_weight[0:E]}, {@code k.weight = [E:2E]}, {@code v.weight = [2E:3E]}
     * when packed, or {@code q_proj_weight}, {@code k_proj_weight}, {@code v_proj_weight}; the biases
     * from {@code in_proj_bias} likewise, {@code o.* = out_proj.*}, {@code bias_k}, {@code bias_v} as
     * they are. Fresh tensors.
     *
     * @throws IllegalArgumentException when the names are neither layout (a missing
     *     {@code in_proj_bias}, as {@code bias=False} writes, is not supported), or
     *     {@code in_proj_weight} is not {@code [3E, E]} or {@code in_proj_bias} not {@code [3E]}
     */
    public static LinkedHashMap<String, Tensor> fromPyTorchStateDict(Map<String, Tensor> torch) {
        boolean packed = torch.containsKey("in_proj_weight");
        TreeSet<String> expected = new TreeSet<>(packed ? List.of("in_proj_weight") : SEPARATE);
        expected.addAll(List.of("in_proj_bias", "out_proj.weight", "out_proj.bias"));
        if (torch.containsKey("bias_k") || torch.containsKey("bias_v")) {
            expected.addAll(List.of("bias_k", "bias_v"));
        }
        if (!new TreeSet<>(torch.keySet()).equals(expected)) {
            throw new IllegalArgumentException("nn.MultiheadAttention state dict: expected names " + expected
                    + " (packed in_proj_weight, or q_proj_weight/k_proj_weight/v_proj_weight for kdim or vdim other "
                    + "than embed_dim; in_proj_bias, i.e. bias=True; bias_k and bias_v together), got " + torch.keySet());
        }
        Tensor bias = torch.get("in_proj_bias");
        int e = torch.get("out_proj.weight").dim(0);
        if (bias.rank() != 1 || bias.dim(0) != 3 * e) {
            throw new IllegalArgumentException("nn.MultiheadAttention state dict: in_proj_bias " + bias.shape()
                    + " is not [3E] for out_proj.weight " + torch.get("out_proj.weight").shape());
        }
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        String[] names = {"q", "k", "v"};
        if (packed) {
            Tensor w = torch.get("in_proj_weight");
            if (w.rank() != 2 || w.dim(0) != 3 * w.dim(1) || w.dim(1) != e) {
                throw new IllegalArgumentException("nn.MultiheadAttention state dict: in_proj_weight " + w.shape()
                        + " is not [3E, E] for E = " + e);
            }
        }
        for (int i = 0; i < 3; i++) {
            Tensor w = packed ? torch.get("in_proj_weight").detach().slice(0, i * e, (i + 1) * e)
                    : torch.get(SEPARATE.get(i)).detach();
            out.put(names[i] + ".weight", w);
            out.put(names[i] + ".bias", bias.detach().slice(0, i * e, (i + 1) * e));
        }
        out.put("o.weight", torch.get("out_proj.weight").detach());
        out.put("o.bias", torch.get("out_proj.bias").detach());
        if (torch.containsKey("bias_k")) {
            out.put("bias_k", torch.get("bias_k").detach());
            out.put("bias_v", torch.get("bias_v").detach());
        }
        return out;
    }

    /**
     * Loads PyTorch's state dict (see {@link #fromPyTorchStateDict}), strictly: its names must be
     * this module's {@link #pyTorchNames()}, and the shapes this module's.
     */
    public void loadPyTorchStateDict(Map<String, Tensor> torch) {
        if (!new TreeSet<>(torch.keySet()).equals(new TreeSet<>(pyTorchNames()))) {
            throw new IllegalArgumentException(this + ": PyTorch state dict names " + torch.keySet() + " are not this "
                    + "module's " + pyTorchNames() + "; construct it with the same kdim, vdim and add_bias_kv as torch's");
        }
        loadStateDict(fromPyTorchStateDict(torch), true);
    }

    /**
     * This module's parameters under PyTorch's names and in its order, to load with torch's
     * {@code load_state_dict}: the packed ones are concatenated copies, the others detached views.
     */
    public LinkedHashMap<String, Tensor> toPyTorchStateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        List<Tensor> ws = new ArrayList<>();
        List<Tensor> bs = new ArrayList<>();
        for (Linear l : List.of(q, k, v)) {
            Map<String, Tensor> p = l.namedParameters();
            ws.add(p.get("weight").detach());
            bs.add(p.get("bias").detach());
        }
        if (packed()) {
            out.put("in_proj_weight", Tensor.concat(ws, 0));
        } else {
            for (int i = 0; i < 3; i++) {
                out.put(SEPARATE.get(i), ws.get(i));
            }
        }
        out.put("in_proj_bias", Tensor.concat(bs, 0));
        if (biasK != null) {
            out.put("bias_k", biasK.detach());
            out.put("bias_v", biasV.detach());
        }
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
        return new MultiHeadAttention(dim, heads, kdim, vdim, biasK != null, Init.of(q.weight().dtype(), 0));
    }

    @Override
    public String toString() {
        return "MultiHeadAttention(" + dim + ", heads " + heads + (kdim != dim ? ", kdim " + kdim : "")
                + (vdim != dim ? ", vdim " + vdim : "") + (biasK != null ? ", add_bias_kv" : "") + ")";
    }
}
