package dev.distillery.diffusion.sampling;

/** Called by a sampler after each step, with {@code i} steps of {@code n} done (1 &lt;= i &lt;= n). */
@FunctionalInterface
public interface SamplerProgress {
    void step(int i, int n);

    /** Null-safe report. */
    static void report(SamplerProgress p, int i, int n) {
        if (p != null) {
            p.step(i, n);
        }
    }
}
