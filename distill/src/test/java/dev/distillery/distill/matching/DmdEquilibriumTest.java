package dev.distillery.distill.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.denoise.NetworkDenoiser;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.denoise.TimeConvention;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.distill.DistillSetup;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.MlpDenoiser;
import dev.distillery.nn.models.ModelInput;

import org.junit.jupiter.api.Test;

/**
 * End to end: when the auxiliary (fake score) model equals the teacher, DMD's generator gradient
 * is exactly zero, because {@code mu_fake(x_t, t) - mu_real(x_t, t) = 0} for every x_t (DMD eq. 7).
 * The teacher is a network here so that the auxiliary model can start as its copy, as in DMD.
 */
class DmdEquilibriumTest {

    @Test
    void auxiliaryModelEqualToTheTeacherGivesZeroGeneratorGradient() {
        MlpConfig config = new MlpConfig(2, 32, 2, 16, 1000.0, dev.distillery.nn.models.Conditioning.none(), false,
                DType.F32, 3L);
        MlpDenoiser teacherNet = config.build();
        teacherNet.freeze();
        NetworkDenoiser teacher = new NetworkDenoiser((z, t, c) -> teacherNet.forward(ModelInput.of(z, t)), Prediction.X0,
                TimeConvention.continuous(), ContinuousCosine.INSTANCE);
        DistillSetup setup = new DistillSetup(teacher, teacherNet, config, null, new int[] {2}, DType.F32, 64, 5L);
        DistributionMatchingDistillation.Config noFakeUpdates = new DistributionMatchingDistillation.Config("dmd",
                1e-3, 1e-3, 0, null, 0.0, 0, 8, 0.02, 0.98, 1, 0.9, 0.0, 0.0, 0, 1.0);
        DistributionMatchingDistillation dmd = new DistributionMatchingDistillation(setup, noFakeUpdates);
        double[] before = flatParameters(dmd);
        dmd.step(new Rng(9L));
        int withGrad = 0;
        for (Tensor p : dmd.sampledNetwork().parameters()) {
            if (p.grad() != null) {
                withGrad++;
                for (double g : p.grad().toDoubleArray()) {
                    assertEquals(0.0, g, 0.0, "generator gradient with mu_fake = mu_real");
                }
            }
        }
        assertTrue(withGrad > 0, "the generator took part in the backward pass");
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, flatParameters(dmd), 0.0);
    }

    private static double[] flatParameters(DistributionMatchingDistillation dmd) {
        return dmd.sampledNetwork().parameters().stream().flatMapToDouble(p -> java.util.Arrays.stream(p.toDoubleArray()))
                .toArray();
    }
}
