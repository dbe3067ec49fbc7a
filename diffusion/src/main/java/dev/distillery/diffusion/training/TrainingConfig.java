package dev.distillery.diffusion.training;

import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.loss.XLossWeighting;

/**
 * Hyper-parameters of denoiser training (Ho et al. 2020, Algorithm 1, in the continuous-time form
 * of Kingma et al. 2021 and Salimans &amp; Ho 2022; MATH.md sections 1-3).
 *
 * @param prediction   what the network predicts: eps, x0 or v (MATH 3)
 * @param weighting    weight {@code w(snr)} of the x-loss {@code w ||x - x_hat||^2}; null = none,
 *                     i.e. the plain MSE of the predicted quantity (eps-MSE = SNR-weighted x-loss,
 *                     x-MSE = unweighted, v-MSE = SNR+1-weighted; I7)
 * @param steps        optimizer steps of {@link DiffusionTrainer#train}
 * @param batchSize    samples per step
 * @param learningRate Adam's peak rate (betas 0.9, 0.999, eps 1e-8, no weight decay)
 * @param warmupSteps  linear warm-up of the rate over this many steps (0: none)
 * @param cosineDecay  after warm-up, decay the rate to 0 at {@code steps} on a half cosine; else constant
 * @param emaDecay     decay of the parameter EMA (with the warm-up {@code min(decay, (1+t)/(10+t))}); 0 = no EMA
 * @param gradClip     clip the global gradient norm to this; 0 = off
 * @param labelDropout probability that a label is replaced by {@code Conditioning.NULL_LABEL}
 *                     (classifier-free guidance, Ho &amp; Salimans 2022); only for class-conditional models
 * @param timesteps    0: {@code t ~ U(0, 1)}; T &gt; 0: {@code t = i / T} with {@code i ~ U{1..T}}
 *                     (Algorithm 1 on a discrete schedule seen through {@code asContinuous()})
 * @param seed         seed of the training randomness when {@code train} is given no generator
 */
public record TrainingConfig(Prediction prediction, XLossWeighting weighting, int steps, int batchSize,
                             double learningRate, int warmupSteps, boolean cosineDecay, double emaDecay,
                             double gradClip, double labelDropout, int timesteps, long seed) {

    public TrainingConfig {
        if (prediction == null) {
            throw new IllegalArgumentException("TrainingConfig: prediction is required");
        }
        if (steps < 0 || batchSize < 1 || !(learningRate > 0) || warmupSteps < 0 || timesteps < 0) {
            throw new IllegalArgumentException("TrainingConfig: need steps >= 0, batchSize >= 1, learningRate > 0, "
                    + "warmupSteps >= 0, timesteps >= 0; got " + steps + ", " + batchSize + ", " + learningRate
                    + ", " + warmupSteps + ", " + timesteps);
        }
        if (!(emaDecay >= 0 && emaDecay < 1) || !(gradClip >= 0) || !(labelDropout >= 0 && labelDropout <= 1)) {
            throw new IllegalArgumentException("TrainingConfig: need 0 <= emaDecay < 1, gradClip >= 0, "
                    + "0 <= labelDropout <= 1; got " + emaDecay + ", " + gradClip + ", " + labelDropout);
        }
    }

    /**
     * v-prediction with its native v-MSE, 2000 steps of 256, Adam 1e-3 with 100 warm-up steps and
     * cosine decay, EMA 0.999, gradient clipping at 1, no label dropout, continuous t, seed 0.
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(Prediction.V, null, 2000, 256, 1e-3, 100, true, 0.999, 1.0, 0.0, 0, 0L);
    }

    public TrainingConfig withPrediction(Prediction p) {
        return new TrainingConfig(p, weighting, steps, batchSize, learningRate, warmupSteps, cosineDecay, emaDecay,
                gradClip, labelDropout, timesteps, seed);
    }

    public TrainingConfig withWeighting(XLossWeighting w) {
        return new TrainingConfig(prediction, w, steps, batchSize, learningRate, warmupSteps, cosineDecay, emaDecay,
                gradClip, labelDropout, timesteps, seed);
    }

    public TrainingConfig withSteps(int n) {
        return new TrainingConfig(prediction, weighting, n, batchSize, learningRate, warmupSteps, cosineDecay, emaDecay,
                gradClip, labelDropout, timesteps, seed);
    }

    public TrainingConfig withBatchSize(int b) {
        return new TrainingConfig(prediction, weighting, steps, b, learningRate, warmupSteps, cosineDecay, emaDecay,
                gradClip, labelDropout, timesteps, seed);
    }

    public TrainingConfig withLearningRate(double lr, int warmup, boolean cosine) {
        return new TrainingConfig(prediction, weighting, steps, batchSize, lr, warmup, cosine, emaDecay,
                gradClip, labelDropout, timesteps, seed);
    }

    public TrainingConfig withEmaDecay(double d) {
        return new TrainingConfig(prediction, weighting, steps, batchSize, learningRate, warmupSteps, cosineDecay, d,
                gradClip, labelDropout, timesteps, seed);
    }

    public TrainingConfig withGradClip(double c) {
        return new TrainingConfig(prediction, weighting, steps, batchSize, learningRate, warmupSteps, cosineDecay,
                emaDecay, c, labelDropout, timesteps, seed);
    }

    public TrainingConfig withLabelDropout(double p) {
        return new TrainingConfig(prediction, weighting, steps, batchSize, learningRate, warmupSteps, cosineDecay,
                emaDecay, gradClip, p, timesteps, seed);
    }

    public TrainingConfig withTimesteps(int t) {
        return new TrainingConfig(prediction, weighting, steps, batchSize, learningRate, warmupSteps, cosineDecay,
                emaDecay, gradClip, labelDropout, t, seed);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(prediction, weighting, steps, batchSize, learningRate, warmupSteps, cosineDecay,
                emaDecay, gradClip, labelDropout, timesteps, s);
    }
}
