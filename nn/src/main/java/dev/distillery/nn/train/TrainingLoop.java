package dev.distillery.nn.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a user step function for a number of steps, with logging of running means, a progress
 * callback, periodic checkpoints and a guard that stops at the first non-finite loss term.
 * The step function does everything for one step (sample, forward, backward, optimizer) and
 * returns its named losses; the loop knows nothing about models.
 */
public final class TrainingLoop {
    /** One optimisation step; {@code step} is the 0-based index of the step being taken. */
    @FunctionalInterface
    public interface StepFunction {
        Map<String, Double> step(long step);
    }

    /** Called after every step with the number of steps done, the total and the step's losses. */
    @FunctionalInterface
    public interface Progress {
        void onStep(long done, long total, Map<String, Double> losses);
    }

    /** Saves a checkpoint after {@code done} steps. */
    @FunctionalInterface
    public interface Checkpointer {
        void save(long done) throws IOException;
    }

    /**
     * @param totalSteps      the run ends when this many steps are done
     * @param logEvery        log the mean of each loss over the last {@code logEvery} steps (0: never)
     * @param checkpointEvery checkpoint every this many steps and at the end (0: never)
     */
    public record Options(long totalSteps, int logEvery, int checkpointEvery) {
        public Options {
            if (totalSteps < 0 || logEvery < 0 || checkpointEvery < 0) {
                throw new IllegalArgumentException("TrainingLoop.Options: counts must be >= 0");
            }
        }
    }

    private final Options options;
    private final StepFunction stepFunction;
    private Progress progress = (d, t, l) -> { };
    private Consumer<String> log = System.err::println;
    private Checkpointer checkpointer;

    public TrainingLoop(Options options, StepFunction stepFunction) {
        this.options = options;
        this.stepFunction = stepFunction;
    }

    public TrainingLoop onProgress(Progress p) {
        this.progress = p;
        return this;
    }

    public TrainingLoop logTo(Consumer<String> sink) {
        this.log = sink;
        return this;
    }

    public TrainingLoop checkpointWith(Checkpointer c) {
        this.checkpointer = c;
        return this;
    }

    /**
     * Runs from {@code startStep} (steps already done, e.g. from a resumed checkpoint) to the
     * total; returns the losses of the last step.
     *
     * @throws NonFiniteLossException at the first NaN or infinite loss term
     */
    public Map<String, Double> run(long startStep) {
        Map<String, Double> last = Map.of();
        Map<String, Double> sums = new LinkedHashMap<>();
        int inWindow = 0;
        for (long s = startStep; s < options.totalSteps(); s++) {
            last = stepFunction.step(s);
            for (Map.Entry<String, Double> e : last.entrySet()) {
                if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                    throw new NonFiniteLossException(s, e.getKey(), e.getValue() == null ? Double.NaN : e.getValue());
                }
                sums.merge(e.getKey(), e.getValue(), Double::sum);
            }
            inWindow++;
            long done = s + 1;
            progress.onStep(done, options.totalSteps(), last);
            if (options.logEvery() > 0 && (done % options.logEvery() == 0 || done == options.totalSteps())) {
                StringBuilder sb = new StringBuilder(String.format("step %d/%d", done, options.totalSteps()));
                int n = inWindow;
                sums.forEach((k, v) -> sb.append(String.format("  %s %.6g", k, v / n)));
                log.accept(sb.toString());
                sums.clear();
                inWindow = 0;
            }
            if (checkpointer != null && options.checkpointEvery() > 0
                    && (done % options.checkpointEvery() == 0 || done == options.totalSteps())) {
                try {
                    checkpointer.save(done);
                } catch (IOException e) {
                    throw new UncheckedIOException("checkpoint after step " + done + " failed: " + e.getMessage(), e);
                }
            }
        }
        return last;
    }
}
