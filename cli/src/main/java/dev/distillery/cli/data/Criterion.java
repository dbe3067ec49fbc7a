package dev.distillery.cli.data;

/**
 * One metric a verdict compares ({@code cli.run.Verdict}); a dataset's {@link Metrics#criteria()}
 * lists them in rank order.
 *
 * @param metric         column name
 * @param higherIsBetter the good direction
 * @param noise          how its resolution is judged
 */
public record Criterion(String metric, boolean higherIsBetter, Noise noise) {

    /** How a metric's sampling resolution is judged. */
    public enum Noise {
        /** One unit (a count such as modes). */
        ONE_UNIT,
        /** Two binomial standard errors of a share at the run's sample size. */
        BINOMIAL,
        /** The real-vs-real floor of the metric. */
        FLOOR
    }
}
