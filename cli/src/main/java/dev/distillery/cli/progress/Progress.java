package dev.distillery.cli.progress;

import java.util.Map;

/**
 * Progress of a long loop (training, sampling, evaluation), reported on stderr so that stdout
 * stays clean for JSON. Use from one producer thread:
 *
 * <pre>{@code
 * Progress p = factory.create();
 * p.start("train consistency", steps);
 * try {
 *     for (int i = 0; i < steps; i++) {
 *         Map<String, Double> losses = distiller.step(batch, rng);
 *         p.update(i + 1, losses);           // cheap: redraws are throttled
 *     }
 * } finally {
 *     p.finish();                            // ends the terminal line even on failure
 * }
 * }</pre>
 *
 * A {@code Progress} may be started again after {@link #finish()}, for the next loop.
 */
public interface Progress {

    /** Reports nothing; what {@code --quiet} gets. */
    Progress NONE = new Progress() {
        @Override
        public void start(String label, long total) {
        }

        @Override
        public void update(long done, Map<String, Double> info) {
        }

        @Override
        public void finish() {
        }
    };

    /**
     * Begins a loop of {@code total} units (0 or less if unknown: then no percentage or ETA).
     * Finishes a previous loop that was not finished.
     */
    void start(String label, long total);

    /**
     * {@code done} units are complete; {@code info} holds values to show beside the bar (latest
     * losses), in its iteration order. The map is read during the call only.
     */
    void update(long done, Map<String, Double> info);

    /** {@link #update(long, Map)} without values. */
    default void update(long done) {
        update(done, Map.of());
    }

    /** Ends the loop: writes the final state (count, time, rate). Safe to call twice. */
    void finish();
}
