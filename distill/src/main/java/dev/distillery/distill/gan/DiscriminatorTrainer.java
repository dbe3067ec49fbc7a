package dev.distillery.distill.gan;

import dev.distillery.autograd.Tensor;
import dev.distillery.distill.resume.Resumable;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.models.ModelInput;
import dev.distillery.nn.optim.Adam;
import dev.distillery.nn.optim.LearningRate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Trains a {@link Discriminator}'s heads with its own Adam optimizer: {@code updatesPerStep}
 * discriminator updates per generator update, each on a fresh batch, with a chosen {@link GanLoss}
 * summed over heads (ADD: {@code L_D = sum_k E max(0, 1 - D_k(F_k(x))) + E max(0, 1 + D_k(F_k(x_hat)))})
 * and an optional R1 penalty (Mescheder et al. 2018) on real inputs:
 * <ul>
 *   <li>{@link R1On#FEATURES}: on the head inputs, as ADD does ({@code gamma/2 E sum_k ||grad_{F_k} D_k||^2},
 *       computed as one gradient w.r.t. the concatenated features, since head k sees only F_k);</li>
 *   <li>{@link R1On#PIXELS}: on the discriminator's input x, through the frozen feature network.</li>
 * </ul>
 * The generator side is {@link #generatorLoss}: the GAN loss of the heads on generated samples,
 * differentiable through the frozen features into the generator.
 *
 * <p>A trainer may instead hold a fully trainable {@link MlpDiscriminator} (DDGAN's end-to-end
 * discriminator; the 2-D analogue of ADD's): then all of its parameters train, and R1 is taken on
 * its input ({@link R1On#PIXELS}; there are no frozen head inputs).
 */
public final class DiscriminatorTrainer implements Resumable {

    public enum R1On { NONE, PIXELS, FEATURES }

    /** One discriminator batch: real and generated inputs (the latter detached by the trainer) and their conditioning. */
    public record Batch(Tensor real, Tensor fake, ModelInput realCond, ModelInput fakeCond) {
    }

    /**
     * @param loss           the GAN objective
     * @param updatesPerStep discriminator updates per generator update (>= 1)
     * @param lr             Adam learning rate
     * @param beta1          Adam beta1 (0 or 0.5 are usual for GANs)
     * @param beta2          Adam beta2
     * @param r1Gamma        R1 weight gamma (0: none)
     * @param r1On           where R1 is taken
     * @param r1Interval     lazy regularisation (Karras et al. 2020, StyleGAN2, section 3.1): R1 on every
     *                       {@code r1Interval}-th update only, with its weight multiplied by the interval
     *                       (1 = every update); the double backward through the heads is the costly part
     */
    public record Config(GanLoss loss, int updatesPerStep, double lr, double beta1, double beta2, double r1Gamma,
                         R1On r1On, int r1Interval) {
        public Config {
            if (updatesPerStep < 1) {
                throw new IllegalArgumentException("updatesPerStep = " + updatesPerStep + " must be >= 1");
            }
            if (r1Interval < 1) {
                throw new IllegalArgumentException("r1Interval = " + r1Interval + " must be >= 1");
            }
        }
    }

    /** Heads over frozen features, or null when {@link #full} is the discriminator. */
    private final Discriminator d;
    /** A fully trainable discriminator, or null. */
    private final MlpDiscriminator full;
    private final Config config;
    private final Adam optimizer;
    private long updates;

    public DiscriminatorTrainer(Discriminator d, Config config) {
        this.d = d;
        this.full = null;
        this.config = config;
        this.optimizer = new Adam(d.heads().namedParameters(), LearningRate.constant(config.lr()), config.beta1(),
                config.beta2(), 1e-8, 0, false);
    }

    /** Trains every parameter of {@code net}; R1 (if any) must be on its input, {@link R1On#PIXELS}. */
    public DiscriminatorTrainer(MlpDiscriminator net, Config config) {
        if (config.r1On() == R1On.FEATURES) {
            throw new IllegalArgumentException("a fully trainable discriminator has no frozen head inputs: use R1On.PIXELS");
        }
        this.d = null;
        this.full = net;
        this.config = config;
        this.optimizer = new Adam(net.namedParameters(), LearningRate.constant(config.lr()), config.beta1(),
                config.beta2(), 1e-8, 0, false);
    }

    /** The heads-over-features discriminator, or null when this trainer holds an {@link MlpDiscriminator}. */
    public Discriminator discriminator() {
        return d;
    }

    /** The fully trainable discriminator, or null when this trainer holds heads over features. */
    public MlpDiscriminator fullDiscriminator() {
        return full;
    }

    public Config config() {
        return config;
    }

    /** Discriminator updates done so far. */
    public long updates() {
        return updates;
    }

    /** {@code updatesPerStep} updates, each on a fresh batch from {@code batches}; returns the last losses. */
    public Map<String, Double> train(Supplier<Batch> batches) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < config.updatesPerStep(); i++) {
            out = update(batches.get());
        }
        return out;
    }

    /** One discriminator update. */
    public Map<String, Double> update(Batch b) {
        if (full != null) {
            return updateFull(b);
        }
        List<Tensor> realFeats = detachAll(d.features(b.real().detach(), b.realCond()));
        List<Tensor> fakeFeats = detachAll(d.features(b.fake().detach(), b.fakeCond()));
        List<Tensor> realLogits = d.logits(realFeats, b.realCond());
        List<Tensor> fakeLogits = d.logits(fakeFeats, b.fakeCond());
        Tensor loss = null;
        for (int k = 0; k < realLogits.size(); k++) {
            Tensor lk = config.loss().discriminatorLoss(realLogits.get(k), fakeLogits.get(k));
            loss = loss == null ? lk : loss.add(lk);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("d_loss", loss.item());
        Tensor r1 = r1(b.real().detach(), realFeats, b.realCond());
        if (r1 != null) {
            out.put("r1", r1.item());
            loss = loss.add(r1);
        }
        return descend(loss, out);
    }

    /** One update of a fully trainable discriminator: GAN loss plus R1 on its real input. */
    private Map<String, Double> updateFull(Batch b) {
        Tensor real = b.real().detach();
        Tensor loss = config.loss().discriminatorLoss(full.logits(real, b.realCond()),
                full.logits(b.fake().detach(), b.fakeCond()));
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("d_loss", loss.item());
        if (config.r1Gamma() != 0 && config.r1On() != R1On.NONE && updates % config.r1Interval() == 0) {
            Tensor r1 = GradientPenalty.r1(full.packed(real), x -> full.logits(x, b.realCond()),
                    config.r1Gamma() * config.r1Interval());
            out.put("r1", r1.item());
            loss = loss.add(r1);
        }
        return descend(loss, out);
    }

    /** One optimiser step on {@code loss}; returns the logged values {@code out}. */
    private Map<String, Double> descend(Tensor loss, Map<String, Double> out) {
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        updates++;
        return out;
    }

    private Tensor r1(Tensor real, List<Tensor> realFeats, ModelInput cond) {
        if (config.r1Gamma() == 0 || config.r1On() == R1On.NONE || updates % config.r1Interval() != 0) {
            return null;
        }
        double gamma = config.r1Gamma() * config.r1Interval();
        if (config.r1On() == R1On.FEATURES) {
            return GradientPenalty.r1(Discriminator.flatConcat(realFeats),
                    flat -> Discriminator.perSampleSum(d.logits(Discriminator.split(flat, realFeats), cond)),
                    gamma);
        }
        return GradientPenalty.r1(real, x -> Discriminator.perSampleSum(d.logits(x, cond)), gamma);
    }

    /** {@code sum_k L_G(D_k(F_k(fake)))}, differentiable into {@code fake}. */
    public Tensor generatorLoss(Tensor fake, ModelInput cond) {
        if (full != null) {
            return config.loss().generatorLoss(full.logits(fake, cond));
        }
        Tensor loss = null;
        for (Tensor l : d.logits(fake, cond)) {
            Tensor lk = config.loss().generatorLoss(l);
            loss = loss == null ? lk : loss.add(lk);
        }
        return loss;
    }

    /**
     * The trained network (the heads, or the whole {@link MlpDiscriminator}), its Adam and the
     * update count (which schedules lazy R1). The frozen feature network is not written: nothing
     * trains it, and the constructor rebuilds it from its seed or the teacher.
     */
    @Override
    public void writeState(StateWriter out) {
        out.module(full != null ? "network" : "heads", full != null ? full : d.heads()).optimizer("optimizer", optimizer)
                .counter("updates", updates);
    }

    @Override
    public void readState(StateReader in) {
        in.module(full != null ? "network" : "heads", full != null ? full : d.heads());
        in.optimizer("optimizer", optimizer);
        long n = in.counter("updates");
        if (n < 0) {
            throw new IllegalArgumentException("training state counter 'updates' = " + n + " < 0");
        }
        updates = n;
    }

    private static List<Tensor> detachAll(List<Tensor> ts) {
        return ts.stream().map(Tensor::detach).toList();
    }
}
