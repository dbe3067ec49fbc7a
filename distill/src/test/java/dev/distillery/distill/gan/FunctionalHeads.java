package dev.distillery.distill.gan;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.layers.SinusoidalEmbedding;
import dev.distillery.nn.models.DiscriminatorConfig;
import dev.distillery.nn.models.DiscriminatorHeads;
import dev.distillery.nn.models.ModelInput;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The forward of nn DiscriminatorHeads (time projection, no classes) written as a function of
 * explicit parameter tensors, so that GradCheck can perturb them; a test checks it reproduces the
 * module exactly before it is trusted.
 */
final class FunctionalHeads {
    private final DiscriminatorConfig config;
    private final Map<String, Tensor> p;

    FunctionalHeads(DiscriminatorHeads heads, Map<String, Tensor> parameters) {
        this.config = heads.config();
        this.p = parameters;
    }

    List<Tensor> forward(List<Tensor> feats, ModelInput cond) {
        List<Tensor> out = new ArrayList<>();
        for (int k = 0; k < feats.size(); k++) {
            String pre = "heads." + k + ".";
            Tensor f = feats.get(k);
            Tensor x = f.reshape(f.dim(0), f.dim(1), 1, 1);
            Tensor h = x.conv2d(p.get(pre + "c1.weight"), p.get(pre + "c1.bias"), 1, 1, 1).leakyRelu(0.2);
            Tensor y = h.conv2d(p.get(pre + "c2.weight"), p.get(pre + "c2.bias"), 1, 0, 1);
            if (config.timeDim() > 0) {
                Tensor e = new SinusoidalEmbedding(config.timeDim()).forward(cond.t().mul(config.timeScale()))
                        .matmul(p.get(pre + "time_proj.weight"), false, true).add(p.get(pre + "time_proj.bias"));
                y = y.add(h.mul(e.reshape(e.dim(0), config.hidden(), 1, 1)).sum(1, true));
            }
            out.add(y);
        }
        return out;
    }
}
