package dev.distillery.nn.optim;

/**
 * A learning-rate schedule: the rate used by the optimizer step with index {@code step}
 * (0 for the first step).
 */
@FunctionalInterface
public interface LearningRate {
    double at(long step);

    /** {@code lr_t = lr}. */
    static LearningRate constant(double lr) {
        return step -> lr;
    }

    /** {@code lr_t = lr min(1, (t + 1) / warmup)}: linear ramp over the first {@code warmup} steps. */
    static LearningRate linearWarmup(double lr, long warmup) {
        return step -> warmup <= 0 ? lr : lr * Math.min(1.0, (step + 1) / (double) warmup);
    }

    /**
     * Linear warm-up, then cosine decay to {@code minLr} at {@code total}:
     * {@code lr_t = minLr + (lr - minLr) (1 + cos(pi p)) / 2}, {@code p = (t - warmup) / (total - warmup)}
     * clamped to [0, 1] (Loshchilov and Hutter 2017, without restarts).
     */
    static LearningRate cosine(double lr, long warmup, long total, double minLr) {
        if (total <= warmup) {
            throw new IllegalArgumentException("cosine schedule: total steps " + total + " must exceed warm-up " + warmup);
        }
        return step -> {
            if (step < warmup) {
                return lr * (step + 1) / (double) warmup;
            }
            double p = Math.min(1.0, (step - warmup) / (double) (total - warmup));
            return minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * p));
        };
    }

    /**
     * {@code lr} for the first {@code total - decaySteps} steps, then {@link #cosine} from {@code lr}
     * to 0 over the last {@code decaySteps}, then 0 ("warm-up, stable, decay" without the warm-up;
     * Loshchilov and Hutter 2017 for the cosine). {@code decaySteps = total} is a cosine over the run.
     */
    static LearningRate stableThenCosine(double lr, long total, long decaySteps) {
        if (decaySteps < 1 || decaySteps > total) {
            throw new IllegalArgumentException("stable-then-cosine schedule: decaySteps " + decaySteps
                    + " must be in [1, total = " + total + "]");
        }
        long start = total - decaySteps;
        LearningRate cosine = cosine(lr, 0, decaySteps, 0.0);
        return step -> step < start ? lr : cosine.at(step - start);
    }

    /**
     * {@code lr} for the first {@code 1 - share} of a run of {@code total} steps, then
     * {@link #stableThenCosine} to 0 over the last {@code round(share total)} steps; share 0 (or a
     * share that rounds to no step) is the constant rate. The distillation recipes size their decay
     * this way, as a share of their budget.
     */
    static LearningRate decayOverFinalShare(double lr, double share, long total) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("the decaying share of the run must be in [0, 1], got " + share);
        }
        if (share > 0 && total < 1) {
            throw new IllegalArgumentException("a decay over the last " + share + " of the run needs the run's length "
                    + "(total > 0), got " + total + "; pass it or use share 0");
        }
        long decaySteps = Math.round(share * total);
        return decaySteps > 0 ? stableThenCosine(lr, total, decaySteps) : constant(lr);
    }
}
