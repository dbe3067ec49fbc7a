package dev.distillery.nn.models;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Module;
import dev.distillery.nn.layers.ModuleList;

import java.util.ArrayList;
import java.util.List;

/**
 * A discriminator as a list of heads over a frozen feature network's maps (ADD's design, Sauer et
 * al. 2023): head i scores feature i, returning one logit map each. The caller averages or sums
 * the per-head losses. Children {@code heads.i.*}.
 */
public final class DiscriminatorHeads extends Module {
    private final DiscriminatorConfig config;
    private final List<DiscriminatorHead> heads = new ArrayList<>();

    public DiscriminatorHeads(DiscriminatorConfig c) {
        this.config = c;
        Init init = Init.of(c.dtype(), c.seed());
        for (int ch : c.featureChannels()) {
            heads.add(new DiscriminatorHead(ch, c.hidden(), c.numClasses(), c.timeDim(), c.timeScale(), init));
        }
        registerModule("heads", new ModuleList(heads));
    }

    public DiscriminatorConfig config() {
        return config;
    }

    /**
     * Logit maps {@code [B, 1, H_i, W_i]}, one per feature; {@code cond} supplies labels and t when
     * the heads are conditioned (its x is ignored).
     */
    public List<Tensor> forward(List<Tensor> features, ModelInput cond) {
        if (features.size() != heads.size()) {
            throw new IllegalArgumentException("DiscriminatorHeads: " + features.size() + " features for "
                    + heads.size() + " heads");
        }
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < heads.size(); i++) {
            out.add(heads.get(i).forward(features.get(i), cond));
        }
        return out;
    }

    /** Unconditional scoring. */
    public List<Tensor> forward(List<Tensor> features) {
        return forward(features, null);
    }

    @Override
    protected Module rebuild() {
        return new DiscriminatorHeads(config);
    }
}
