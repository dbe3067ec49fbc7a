package dev.distillery.identities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.identities.ScheduleCase;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.core.ConsistencyParameterization;
import dev.distillery.distill.core.DdimStep;
import dev.distillery.proptest.Gen;
import dev.distillery.proptest.Gens;
import dev.distillery.proptest.Statistics;
import dev.distillery.proptest.jupiter.ForAll;
import dev.distillery.proptest.jupiter.From;
import dev.distillery.proptest.jupiter.Property;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The three worked examples of {@code docs/PROPERTIES.md}, kept here so the document cannot drift
 * from code that compiles and passes. Each is an identity of the catalogue written as a
 * {@code @Property} method.
 */
@ExtendWith(ScalarBackendExtension.class)
class WorkedExamplesPropertyTest {
    private static final double EPS = Math.ulp(1.0);

    static Gen<Double> sigmaData() {
        return Gens.doublesEdgeFirst(0.05, 5.0, 0.5);
    }

    static Gen<Double> epsilons() {
        return Gens.doublesEdgeFirst(0.0, 0.1, 0.002);
    }

    /** Network outputs and data: finite, with zeros, signed zero, denormals and large values tried first. */
    static Gen<Double> values() {
        return Gens.doublesEdgeFirst(-1e6, 1e6);
    }

    static Gen<ScheduleCase> schedules() {
        return MathGens.schedules();
    }

    static Gen<Double> times() {
        return Gens.doublesEdgeFirst(MathGens.MIN_TIME, 1.0, 1e-3, 0.5, 1 - 1e-9);
    }

    /**
     * Example 1, I15 (consistency boundary, Song et al. 2023): {@code f(x, eps) = x} exactly, for every
     * network output F. Tolerance 0: at t = eps, c_skip = sd^2/sd^2 = 1 and c_out = 0 exactly, and
     * {@code 1*x + 0*F = x} for finite F. Edge cases try F = 0, -0.0, denormals and 1e6 first.
     */
    @Property(tries = 200)
    void i15ConsistencyBoundaryIsExact(@From("sigmaData") double sd, @From("epsilons") double eps,
                                       @From("values") double x, @From("values") double networkOutput) {
        ConsistencyParameterization p = new ConsistencyParameterization(sd, eps);
        double f = p.apply(Tensor.of(new double[] {x}, 1), eps, Tensor.of(new double[] {networkOutput}, 1))
                .toDoubleArray()[0];
        assertEquals(x, f, 0.0, "f(x, eps) at sd = " + sd);
    }

    /**
     * Example 2, a schedule identity (I1's premise): every schedule is variance preserving,
     * {@code |alpha^2 + sigma^2 - 1| <= 8 eps} (alpha and sigma are square roots of values known to a few
     * ulps; squaring doubles the relative error). Statistics show each family is drawn.
     */
    @Property(tries = 300, statistics = true)
    void schedulesAreVariancePreserving(@From("schedules") ScheduleCase c, @From("times") double t) {
        Statistics.collect(c.family());
        NoiseSchedule s = c.schedule();
        double a = s.alpha(t);
        double g = s.sigma(t);
        assertTrue(Math.abs(a * a + g * g - 1) <= 8 * EPS, "alpha^2 + sigma^2 = " + (a * a + g * g));
    }

    /**
     * Example 3, DDIM is Euler (Song et al. 2021, section 4.3): the deterministic DDIM step
     * {@code z_s = alpha_s x_hat + (sigma_s/sigma_t)(z_t - alpha_t x_hat)} is exactly one Euler step of the
     * ODE {@code d(z/alpha) = eps_hat d(sigma/alpha)}: {@code z_s/alpha_s = z_t/alpha_t + (sigma_s/alpha_s -
     * sigma_t/alpha_t) eps_hat}, with {@code eps_hat = (z_t - alpha_t x_hat)/sigma_t}. Each side is a handful of
     * roundings of terms no larger than {@code |z_t|/alpha_t + |x_hat| + (sigma_s/alpha_s + sigma_t/alpha_t)
     * |eps_hat|}: tolerance 32 eps times that. Zero-terminal-SNR schedules have alpha(1) = 0, where z/alpha is
     * undefined; those tries are discarded.
     */
    @Property(tries = 300)
    void ddimStepIsAnEulerStepInSigmaOverAlpha(@From("schedules") ScheduleCase c, @From("times") double t1,
                                               @From("times") double t2, @From("values") double zt,
                                               @From("values") double xHat) {
        NoiseSchedule sch = c.schedule();
        double t = Math.max(t1, t2);
        double s = Math.min(t1, t2);
        double at = sch.alpha(t);
        double st = sch.sigma(t);
        double as = sch.alpha(s);
        double ss = sch.sigma(s);
        Assumptions.assumeTrue(at > 0 && as > 0 && st > 0, "z/alpha and eps_hat need alpha, sigma > 0");
        double zs = DdimStep.deterministic(Tensor.of(new double[] {zt}, 1), Tensor.of(new double[] {xHat}, 1),
                at, st, as, ss).toDoubleArray()[0];
        double epsHat = (zt - at * xHat) / st;
        double euler = zt / at + (ss / as - st / at) * epsHat;
        double scale = Math.abs(zt) / at + Math.abs(xHat) + (ss / as + st / at) * Math.abs(epsHat);
        assertEquals(euler, zs / as, 32 * EPS * scale, "z_s/alpha_s");
    }
}
