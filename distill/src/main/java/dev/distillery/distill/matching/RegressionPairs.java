package dev.distillery.distill.matching;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.core.DdimStep;
import dev.distillery.distill.resume.Resumable;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;

/**
 * DMD's regression loss (Yin et al. 2024, section 3.3): a fixed set of noise-to-sample
 * pairs {@code (z, y)} that the teacher made with deterministic DDIM from t = 1, and
 * <pre>
 *   L_reg = mean over a batch of pairs of ||G(z) - y||^2 / d
 * </pre>
 * (mean over elements; the paper uses LPIPS on images, l2 suits 2-D points). The pairs are made
 * once at construction from the setup's seed; the batches walk through them in order, so the only
 * state is the cursor. The generator reads each z at its first student time (the sampler's start
 * time), exactly as its one-step sample does.
 */
final class RegressionPairs implements Resumable {
    private final Tensor noise;
    private final Tensor target;
    private int cursor;

    /**
     * @param pairs     number of pairs (the paper: its "paired dataset" of teacher ODE solves)
     * @param ddimSteps teacher DDIM steps per pair
     */
    RegressionPairs(DistillSetup setup, int pairs, int ddimSteps) {
        if (pairs < 1 || ddimSteps < 1) {
            throw new IllegalArgumentException("regression pairs: need pairs >= 1 and ddimSteps >= 1, got "
                    + pairs + " and " + ddimSteps + " (or set the regression weight to 0)");
        }
        Rng rng = new Rng(setup.seed() + 3);
        this.noise = Tensor.randn(setup.dtype(), rng, setup.batchDims(pairs));
        this.target = teacherDdim(setup, noise, ddimSteps);
    }

    /** The teacher's deterministic DDIM from t = 1 to 0 in {@code steps} uniform steps (MATH.md section 4). */
    static Tensor teacherDdim(DistillSetup setup, Tensor noise, int steps) {
        var schedule = setup.teacher().schedule();
        try (var off = Autograd.noGrad()) {
            Tensor z = noise;
            for (int i = steps; i > 0; i--) {
                double t = (double) i / steps;
                double s = (double) (i - 1) / steps;
                Tensor x0 = setup.teacher().x0(z, Tensor.full(z.dtype(), t, z.dim(0)), null);
                z = s == 0 ? x0 : DdimStep.deterministic(schedule, z, x0, t, s);
            }
            return z.detach();
        }
    }

    /** The regression loss on the next {@code b} pairs (differentiable in the generator). */
    Tensor loss(GeneratorTraining g, int b) {
        int[] idx = new int[b];
        for (int i = 0; i < b; i++) {
            idx[i] = cursor;
            cursor = (cursor + 1) % noise.dim(0);
        }
        Tensor pred = g.generator.x0(noise.indexSelect(0, idx), g.sampler.startTime());
        return pred.sub(target.indexSelect(0, idx)).square().mean();
    }

    @Override
    public void writeState(StateWriter out) {
        out.counter("pair-cursor", cursor);
    }

    @Override
    public void readState(StateReader in) {
        long c = in.counter("pair-cursor");
        if (c < 0 || c > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("training state counter 'pair-cursor' = " + c + " is not an int >= 0");
        }
        cursor = (int) (c % noise.dim(0));
    }
}
