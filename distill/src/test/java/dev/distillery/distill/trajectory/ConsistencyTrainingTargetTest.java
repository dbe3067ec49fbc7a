package dev.distillery.distill.trajectory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distillery.autograd.Tensor;
import dev.distillery.proptest.Gen;
import dev.distillery.proptest.Gens;
import dev.distillery.proptest.Property;
import org.junit.jupiter.api.Test;

/**
 * The target point of consistency training (MATH.md section 6.4): one Euler step of the PF-ODE
 * {@code dx/dt = (x - D)/t} from the input at level hi to level lo. With the single-sample
 * denoiser {@code D = x} it must land on the input's own ray, {@code x + lo z} (the paper's
 * Algorithm 3); with another denoiser it moves along {@code x_hi - D}.
 */
class ConsistencyTrainingTargetTest {

    /** Interior values by hand: x_hi = 2, D = 0.5, hi = 2, lo = 1.2: 2 - 0.8 * 1.5 / 2 = 1.4. */
    @Test
    void eulerStepAtInteriorValues() {
        Tensor got = ConsistencyTraining.eulerStep(Tensor.of(new double[] {2.0, -1.0}, 1, 2),
                Tensor.of(new double[] {0.5, 0.25}, 1, 2), new double[] {1.2}, new double[] {2.0});
        assertArrayEquals(new double[] {1.4, -0.5}, got.toDoubleArray(), 1e-15);
    }

    /**
     * For any data point x, noise z and levels {@code 0 < lo < hi <= 80}: the step with D = x from
     * {@code x + hi z} is {@code x + lo z}. Rounding: each of the few operations errs by at most
     * {@code 2^-53} of its operands, all bounded by {@code |x| + hi |z|}; 8 ulps of that bound.
     */
    @Test
    void withTheSingleSampleDenoiserTheStepStaysOnTheRay() {
        Gen<double[]> inputs = Gen.zip(Gen.zip(Gens.doubles(-4, 4), Gens.doubles(-3, 3)),
                Gen.zip(Gens.doubles(0.002, 80), Gens.doubles(0.01, 0.99)),
                (xz, levels) -> new double[] {xz.first(), xz.second(), levels.first(), levels.first() * levels.second()});
        Property.forAll(inputs).tries(500).check(v -> {
            double x = v[0];
            double z = v[1];
            double hi = v[2];
            double lo = v[3];
            Tensor input = Tensor.of(new double[] {x + hi * z}, 1, 1);
            double got = ConsistencyTraining.eulerStep(input, Tensor.of(new double[] {x}, 1, 1), new double[] {lo},
                    new double[] {hi}).item();
            double bound = 8 * Math.ulp(Math.abs(x) + hi * Math.abs(z) + Math.abs(x + hi * z));
            assertEquals(x + lo * z, got, bound, () -> "x " + x + ", z " + z + ", hi " + hi + ", lo " + lo);
        });
    }
}
