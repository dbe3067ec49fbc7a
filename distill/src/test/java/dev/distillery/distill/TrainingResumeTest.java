package dev.distillery.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.data.MixtureSpec;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.NeuralDenoisers;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.distill.resume.TrainingSnapshot;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.MlpConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every registered method resumes bit for bit: a run of {@value #STEPS} steps saved after k steps
 * ({@link DistillCheckpoint}, through the files), restored into a fresh distiller and a fresh
 * {@link Rng}, and trained to the end gives the same losses at every remaining step and the same
 * final training state (every tensor's bits, every counter) and generator position as the run
 * that never stopped. Two teachers: the analytic 25-Gaussians mixture (students start fresh) and
 * a small random MLP network (students, DDGAN's generator and adversarial-every-step's encoder
 * start from it, as in the demo); two save points each, one early and one late, so that
 * progressive and guided distillation are saved inside different rounds (and guided in both
 * stages), rectified flow before and after its pair sets and distillation stage, and knowledge
 * distillation before its pairs are drawn (k = 0 is a save before the first step) and after.
 */
class TrainingResumeTest {
    private static final int STEPS = 12;
    private static final int[] SAVE_AFTER = {0, 3, 8};
    private static final MixtureSpec SPEC = Toy2d.gaussians25Spec();

    @TempDir
    Path tmp;

    /** The analytic teacher (with a label per mode, for guided distillation); fresh width-16 students. */
    private static DistillSetup analytic(DistillMethod m) {
        int[] cls = new int[SPEC.k()];
        Arrays.setAll(cls, i -> i);
        var teacher = new GaussianMixtureDenoiser(GaussianMixture.of(SPEC), ContinuousCosine.INSTANCE, cls, SPEC.k());
        return setup(teacher, null, student(m.studentConditioning(SPEC.k())));
    }

    /** A random width-16 MLP teacher (class-conditional for guided distillation) that students start from. */
    private static DistillSetup network(DistillMethod m) {
        Conditioning c = m.needsClassConditionalTeacher() ? Conditioning.none().withClasses(SPEC.k()) : Conditioning.none();
        Module net = student(c).withSeed(11L).build().freeze().eval();
        Denoiser teacher = NeuralDenoisers.of((ConditionalModel) net, Prediction.V, ContinuousCosine.INSTANCE);
        return setup(teacher, net, student(m.studentConditioning(m.needsClassConditionalTeacher() ? SPEC.k() : 0)));
    }

    private static MlpConfig student(Conditioning c) {
        return new MlpConfig(2, 16, 2, 16, 1000.0, c, false, DType.F32, 5L, 0, 1.0);
    }

    private static DistillSetup setup(Denoiser teacher, Module net, MlpConfig student) {
        return new DistillSetup(teacher, net, student, DataSource.mixture(SPEC, DType.F32), new int[] {2}, DType.F32, 16, 5L);
    }

    @Test
    void everyMethodSavedAfterKStepsAndResumedEndsWhereTheUninterruptedRunEnds() throws IOException {
        assertEquals(14, Methods.all().size(), Methods.names().toString());
        for (DistillMethod m : Methods.all()) {
            for (boolean fromNetwork : new boolean[] {false, true}) {
                DistillSetup s = fromNetwork ? network(m) : analytic(m);
                String what = m.name() + (fromNetwork ? " (network teacher)" : " (analytic teacher)");
                checkResume(m, s, what);
            }
        }
    }

    private void checkResume(DistillMethod m, DistillSetup s, String what) throws IOException {
        Distiller whole = m.create(s, STEPS);
        Rng rng = new Rng(1L);
        List<Map<String, Double>> losses = new ArrayList<>();
        Map<Integer, Path> saves = new LinkedHashMap<>();
        for (int i = 0; i <= STEPS; i++) {
            if (Arrays.stream(SAVE_AFTER).anyMatch(k -> k == losses.size())) {
                Path dir = tmp.resolve(m.name() + "-" + (s.teacherNetwork() != null) + "-" + i);
                DistillCheckpoint.save(dir, whole, i, rng, Map.of());
                saves.put(i, dir);
            }
            if (i < STEPS) {
                losses.add(whole.step(rng));
            }
        }
        TrainingSnapshot expected = whole.trainingState();
        for (Map.Entry<Integer, Path> save : saves.entrySet()) {
            int k = save.getKey();
            Distiller resumed = m.create(s, STEPS);
            Rng other = new Rng(99L);
            DistillCheckpoint.Position at = DistillCheckpoint.resume(save.getValue(), resumed, other);
            assertEquals(k, at.step(), what);
            for (int i = k; i < STEPS; i++) {
                assertEquals(losses.get(i), resumed.step(other), what + ", saved after " + k + ": losses of step " + (i + 1));
            }
            assertEquals(rng.state(), other.state(), what + ", saved after " + k + ": generator position");
            assertSameBits(expected, resumed.trainingState(), what + ", saved after " + k);
        }
    }

    /** Every tensor bit for bit (dtype, shape, values) and every counter. */
    static void assertSameBits(TrainingSnapshot expected, TrainingSnapshot actual, String what) {
        assertEquals(expected.tensors().keySet(), actual.tensors().keySet(), what + ": tensor names");
        assertEquals(expected.counters(), actual.counters(), what + ": counters");
        expected.tensors().forEach((name, t) -> {
            Tensor a = actual.tensors().get(name);
            assertEquals(t.dtype(), a.dtype(), what + ": dtype of " + name);
            assertArrayEquals(t.shape().dims(), a.shape().dims(), what + ": shape of " + name);
            if (t.dtype() == DType.F32) {
                assertArrayEquals(t.toFloatArray(), a.toFloatArray(), what + ": " + name);
            } else {
                assertArrayEquals(t.toDoubleArray(), a.toDoubleArray(), what + ": " + name);
            }
        });
    }

    @Test
    void aStateOfAnotherMethodOrShapeIsRefusedNamingTheEntry() throws IOException {
        DistillMethod kd = Methods.byName("kd").orElseThrow();
        DistillMethod cd = Methods.byName("cd").orElseThrow();
        Distiller trained = kd.create(analytic(kd), 4);
        Rng rng = new Rng(2L);
        trained.step(rng);
        Path dir = tmp.resolve("kd");
        DistillCheckpoint.save(dir, trained, 1, rng, Map.of());

        var other = assertThrows(IllegalArgumentException.class,
                () -> DistillCheckpoint.resume(dir, cd.create(analytic(cd), 4), new Rng(0L)));
        assertTrue(other.getMessage().contains("holds a run of 'kd', not of 'cd'"), other.getMessage());

        var cross = assertThrows(IllegalArgumentException.class,
                () -> cd.create(analytic(cd), 4).restoreTraining(trained.trainingState()));
        assertTrue(cross.getMessage().startsWith("training state lacks the module 'target'"), cross.getMessage());

        MlpConfig wide = student(Conditioning.none()).withWidth(24);
        DistillSetup wider = new DistillSetup(analytic(kd).teacher(), null, wide, analytic(kd).data(), new int[] {2},
                DType.F32, 16, 5L);
        var shape = assertThrows(IllegalArgumentException.class,
                () -> DistillCheckpoint.resume(dir, kd.create(wider, 4), new Rng(0L)));
        assertTrue(shape.getMessage().startsWith("training state 'student': cannot load state dict"), shape.getMessage());

        Map<String, Tensor> extra = new LinkedHashMap<>(trained.trainingState().tensors());
        extra.put("stray/x", Tensor.of(new double[] {1}));
        var unread = assertThrows(IllegalArgumentException.class, () -> kd.create(analytic(kd), 4)
                .restoreTraining(new TrainingSnapshot(extra, trained.trainingState().counters())));
        assertTrue(unread.getMessage().contains("entries this run does not read: [stray/x]"), unread.getMessage());
    }
}
