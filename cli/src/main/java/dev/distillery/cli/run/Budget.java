package dev.distillery.cli.run;

import dev.distillery.cli.error.CliException;
import dev.distillery.distill.DistillMethod;

/**
 * The training and evaluation budget of one run size. It is a step count per method, not a time,
 * so a run is the same on every machine.
 *
 * @param stepsPerMethod training steps of every method, or null: each method's recipe
 *                       ({@link DistillMethod#recommendedSteps()}) times {@code recipeScale}
 * @param recipeScale    the share of each recipe's budget a run of this size trains (1 for the full
 *                       demo; less for {@code --quick}, whose students are narrower)
 * @param batchSize      the training batch of every method
 * @param samples        samples per evaluation
 */
public record Budget(Integer stepsPerMethod, double recipeScale, int batchSize, int samples) {

    /** Default budget of the full demo on 2-D data: every method's own recipe budget. */
    public static final Budget FULL = new Budget(null, 1.0, 128, 2000);
    /** Default budget of {@code --quick} on 2-D data: 7 % of every recipe's budget. */
    public static final Budget QUICK = new Budget(null, 0.07, 128, 500);
    /** Digits: images cost far more per sample. */
    public static final Budget DIGITS_FULL = new Budget(300, 1.0, 64, 256);
    /** Digits with {@code --quick}. */
    public static final Budget DIGITS_QUICK = new Budget(20, 1.0, 16, 64);

    /**
     * This budget with the values the user gave (null: keep this one's), each checked with a
     * one-line error naming its flag.
     */
    public Budget with(Integer steps, String stepsFlag, Integer batch, Integer n) {
        Budget b = new Budget(steps == null ? stepsPerMethod : steps, recipeScale,
                batch == null ? batchSize : batch, n == null ? samples : n);
        if (b.stepsPerMethod != null && b.stepsPerMethod < 1) {
            throw new CliException(stepsFlag + " must be at least 1, got " + b.stepsPerMethod);
        }
        if (b.batchSize < 1) {
            throw new CliException("--batch must be at least 1, got " + b.batchSize);
        }
        if (b.samples < 2) {
            throw new CliException("--samples must be at least 2 (the metrics compare sample sets), got " + b.samples);
        }
        return b;
    }

    /** The training steps of {@code m} in a run of this budget. */
    public int stepsFor(DistillMethod m) {
        return stepsPerMethod != null ? stepsPerMethod
                : Math.max(1, (int) Math.round(m.recommendedSteps() * recipeScale));
    }

    /** "each method's recipe budget" or "300 steps", for reports. */
    String describeSteps() {
        return stepsPerMethod != null ? stepsPerMethod + " steps"
                : recipeScale == 1.0 ? "its recipe's step budget" : recipeScale + " x its recipe's step budget";
    }
}
