package dev.distillery.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.distill.trajectory.ProgressiveDistillation;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.data.MixtureSpec;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.nn.models.MlpConfig;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Every registered method's student survives export and restore: after a few training steps on a
 * tiny setup (the analytic 25-Gaussians teacher with a label per mode, an MLP of width 16), a
 * fresh distiller of the same method and setup that restores {@link Distiller#state()} samples
 * bit-identically at 1, 2 and 4 steps (those the generator supports) on the same noise and key.
 * Twelve steps take progressive distillation through all its rounds (N = 1024 down to 1, one step
 * each), guided distillation into its stage two and rectified flow into its distillation stage,
 * so the finished-round students and the stage counters are exercised too.
 */
class StudentStateRoundTripTest {
    private static final int TRAIN_STEPS = 12;
    private static final MixtureSpec SPEC = Toy2d.gaussians25Spec();

    private static DistillSetup setup(DistillMethod m, int width) {
        int[] cls = new int[SPEC.k()];
        Arrays.setAll(cls, i -> i);
        var teacher = new GaussianMixtureDenoiser(GaussianMixture.of(SPEC), ContinuousCosine.INSTANCE, cls, SPEC.k());
        MlpConfig student = new MlpConfig(2, width, 2, 16, 1000.0, m.studentConditioning(SPEC.k()), false, DType.F32, 5L,
                0, 1.0);
        return new DistillSetup(teacher, null, student, DataSource.mixture(SPEC, DType.F32), new int[] {2}, DType.F32,
                16, 5L);
    }

    private static Map<Integer, float[]> samples(Generator g) {
        Tensor noise = Tensor.randn(DType.F32, 9L, 0L, 7, 2);
        Map<Integer, float[]> out = new LinkedHashMap<>();
        for (int k : new int[] {1, 2, 4}) {
            if (g.supports(k)) {
                out.put(k, g.sample(noise, k, RngKey.of(3L).fold(k)).toFloatArray());
            }
        }
        return out;
    }

    @Test
    void everyMethodRestoredIntoAFreshDistillerSamplesBitIdentically() {
        assertEquals(14, Methods.all().size(), Methods.names().toString());
        for (DistillMethod m : Methods.all()) {
            DistillSetup s = setup(m, 16);
            Distiller trained = m.create(s, TRAIN_STEPS);
            Rng rng = new Rng(1L);
            for (int i = 0; i < TRAIN_STEPS; i++) {
                trained.step(rng);
            }
            Map<Integer, float[]> expected = samples(trained.generator());
            assertFalse(expected.isEmpty(), m.name() + " supports none of 1, 2, 4 steps");

            Distiller fresh = m.create(s, TRAIN_STEPS);
            Map<Integer, float[]> before = samples(fresh.generator());
            assertTrue(expected.keySet().stream().anyMatch(k -> !Arrays.equals(expected.get(k), before.get(k))),
                    m.name() + ": an untrained distiller already samples as the trained one; the test would prove nothing");
            fresh.restore(trained.state());
            Map<Integer, float[]> restored = samples(fresh.generator());
            assertEquals(expected.keySet(), restored.keySet(), m.name());
            expected.forEach((k, x) -> assertArrayEquals(x, restored.get(k), m.name() + " at " + k + " steps"));
        }
    }

    @Test
    void progressiveExportsEveryFinishedRoundAndTheCurrentN() {
        DistillMethod m = Methods.byName("progressive").orElseThrow();
        Distiller d = m.create(setup(m, 8), 12);
        Rng rng = new Rng(2L);
        for (int i = 0; i < 12; i++) {
            d.step(rng);
        }
        StudentState st = d.state();
        assertEquals(1L, st.counter("student-steps"));
        for (int n = 2; n <= ProgressiveDistillation.Config.defaults().startSteps(); n *= 2) {
            assertTrue(st.hasNetwork("round-" + n), "round-" + n + " in " + st.networks().keySet());
        }
        assertFalse(st.hasNetwork("round-1"), "the live 1-step student is exported once, as 'student'");
    }

    @Test
    void aStateThatDoesNotFitIsRefusedNamingTheNetworkAndTheDifference() {
        DistillMethod m = Methods.byName("kd").orElseThrow();
        StudentState wide = m.create(setup(m, 16), 4).state();
        Distiller narrow = m.create(setup(m, 8), 4);
        var e = assertThrows(IllegalArgumentException.class, () -> narrow.restore(wide));
        assertTrue(e.getMessage().startsWith("network 'student': cannot load state dict"), e.getMessage());
        assertTrue(e.getMessage().contains("shape"), e.getMessage());

        var missing = assertThrows(IllegalArgumentException.class,
                () -> narrow.restore(new StudentState(Map.of(), Map.of())));
        assertTrue(missing.getMessage().contains("lacks the network 'student'"), missing.getMessage());

        DistillMethod rf = Methods.byName("rectified-flow").orElseThrow();
        Distiller flow = rf.create(setup(rf, 8), 4);
        var noStage = assertThrows(IllegalArgumentException.class,
                () -> flow.restore(new StudentState(flow.state().networks(), Map.of())));
        assertTrue(noStage.getMessage().contains("lacks the counter 'stage'"), noStage.getMessage());
    }

    @Test
    void namesMustBeUsableAsFileNames() {
        assertThrows(IllegalArgumentException.class, () -> new StudentState(Map.of("../x", Map.of()), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new StudentState(Map.of(), Map.of("Stage", 1L)));
    }
}
