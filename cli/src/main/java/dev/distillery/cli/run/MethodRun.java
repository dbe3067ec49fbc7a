package dev.distillery.cli.run;


import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.cli.data.Rows;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.progress.Progress;
import dev.distillery.cli.report.LossHistory;
import dev.distillery.cli.store.DistillCheckpoints;
import dev.distillery.distill.DistillMethod;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;

import java.util.Map;

/**
 * Trains one method for a fixed number of steps and samples its generator, turning any failure
 * into a message instead of an exception, so that one broken method shows up as a row of the
 * report and the other methods still run.
 */
public final class MethodRun {
    private MethodRun() {
    }

    /**
     * A trained method.
     *
     * @param generator null when training failed
     * @param failure   null unless training failed: what went wrong, in one line
     * @param distiller the trained distiller (for saving its student), null when training failed
     */
    public record Trained(DistillMethod method, LossHistory losses, int stepsDone, double trainSeconds, Generator generator,
                   String failure, Distiller distiller) {
        /** A method that could not start (e.g. no teacher of the kind it needs). */
        public static Trained failed(DistillMethod method, String failure) {
            return new Trained(method, new LossHistory(), 0, 0.0, null, failure, null);
        }
    }

    /**
     * One sampling at a step count.
     *
     * @param samples null when sampling failed
     * @param failure null unless sampling failed
     */
    public record Sampled(int steps, double[][] samples, Tensor raw, int nfe, double seconds, String failure) {
        /** A step count the generator does not offer (not a failure: nothing was tried). */
        static Sampled unsupported(int steps) {
            return new Sampled(steps, null, null, 0, 0.0, null);
        }
    }

    /**
     * {@code steps} optimisation steps of {@code method} on {@code setup}, losses recorded and
     * shown. Every method trains through here, so this is where a diverged run stops: at the first
     * step with a NaN or infinite loss, named with the step, instead of training on and handing a
     * NaN student to the sampler.
     */
    public static Trained train(DistillMethod method, DistillSetup setup, int steps, Rng rng, Progress progress) {
        return train(method, setup, steps, rng, progress, null);
    }

    /**
     * As {@link #train(DistillMethod, DistillSetup, int, Rng, Progress)}, saving the run into
     * {@code checkpoints} (when not null) every {@code --checkpoint-every} steps and after the
     * last, and, on a resume, starting from its last save. A checkpoint that cannot be read or
     * written fails the run with that {@link CliException}, not as a failed method.
     */
    static Trained train(DistillMethod method, DistillSetup setup, int steps, Rng rng, Progress progress,
                         DistillCheckpoints checkpoints) {
        LossHistory history = new LossHistory();
        long start = System.nanoTime();
        int done = 0;
        progress.start("train " + method.name(), steps);
        try {
            Distiller distiller = method.create(setup, steps);
            int first = checkpoints == null ? 0 : (int) checkpoints.start(distiller, setup, rng, history);
            done = first;
            if (first > 0) {
                progress.update(done);
            }
            for (int i = first; i < steps; i++) {
                Map<String, Double> losses = distiller.step(rng);
                String nonFinite = NonFinite.inLosses(losses);
                if (nonFinite != null) {
                    return new Trained(method, history, done, seconds(start), null, "training failed at step " + (i + 1)
                            + " of " + steps + ": " + nonFinite + " (the teacher or the student gives non-finite values:"
                            + " check the teacher, or lower the learning rate)", null);
                }
                history.record(i, losses);
                done = i + 1;
                progress.update(done, losses);
                if (checkpoints != null) {
                    checkpoints.stepped(distiller, done, steps, rng, history);
                }
            }
            return new Trained(method, history, done, seconds(start), distiller.generator(), null, distiller);
        } catch (CliException e) {
            throw e;
        } catch (RuntimeException e) {
            return new Trained(method, history, done, seconds(start), null,
                    "training failed at step " + done + ": " + CliException.describe(e), null);
        } finally {
            progress.finish();
        }
    }

    /** Samples {@code generator} at {@code steps} on the run's fixed noise. */
    public static Sampled sample(Generator generator, Evaluation evaluation, int steps) {
        if (!generator.supports(steps)) {
            return Sampled.unsupported(steps);
        }
        long start = System.nanoTime();
        try {
            Tensor x = generator.sample(evaluation.noise(), steps, evaluation.key().fold(steps));
            double[][] rows = Rows.of(x);
            String nonFinite = NonFinite.inSamples(rows);
            if (nonFinite != null) {
                return new Sampled(steps, null, null, 0, seconds(start), "sampling at " + steps + " steps gave "
                        + nonFinite + "; the student's weights are not finite");
            }
            return new Sampled(steps, rows, x, generator.nfe(steps), seconds(start), null);
        } catch (RuntimeException e) {
            return new Sampled(steps, null, null, 0, seconds(start), "sampling at " + steps + " steps failed: " + CliException.describe(e));
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
