package dev.distillery.nn.checkpoint;

import dev.distillery.autograd.io.Json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.backend.RandomKind;
import dev.distillery.autograd.random.Rng;
import dev.distillery.nn.Module;
import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.MlpDenoiser;
import dev.distillery.nn.models.UNetConfig;
import dev.distillery.nn.optim.Adam;
import dev.distillery.nn.optim.Ema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint directories: config round trip, bit-identical resume, atomic replacement, listed mismatches. */
@ExtendWith(ScalarBackendExtension.class)
class CheckpointTest {
    @TempDir
    Path tmp;

    private static final MlpConfig SMALL = MlpConfig.w2().withWidth(16).withTimeDim(8).withSeed(11)
            .withConditioning(Conditioning.none().withClasses(3));

    /** One Adam step on a regression of sin(3 x) with labels, drawing everything from {@code rng}. */
    private static void trainStep(MlpDenoiser net, Adam opt, Ema ema, Rng rng) {
        int b = 8;
        float[] x = new float[b * 2];
        rng.fill(RandomKind.NORMAL, x);
        double[] t = new double[b];
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            t[i] = rng.nextInt(1000);
            labels[i] = rng.nextInt(4) - 1;
        }
        Tensor xs = Tensor.of(x, b, 2);
        Tensor pred = net.forward(dev.distillery.nn.models.ModelInput.of(xs, Tensor.of(DType.F32, t, b)).withLabels(labels));
        Tensor loss = pred.sub(xs.mul(3.0).sin()).square().mean();
        opt.zeroGrad();
        loss.backward();
        opt.step();
        ema.update(net);
    }

    /** A network with its Adam (rate 1e-2), EMA (0.9) and the generator its steps draw from. */
    private record Training(MlpDenoiser net, Adam opt, Ema ema, Rng rng) {
        static Training of(MlpDenoiser net, Rng rng) {
            return new Training(net, Adam.adam(net.namedParameters(), 1e-2), new Ema(net, 0.9, true), rng);
        }

        /** {@code n} more {@link #trainStep}s; this training, for chaining. */
        Training steps(int n) {
            for (int i = 0; i < n; i++) {
                trainStep(net, opt, ema, rng);
            }
            return this;
        }
    }

    @Test
    void resumingContinuesBitIdentically() throws IOException {
        Training straight = Training.of(SMALL.build(), new Rng(5)).steps(6);

        Training first = Training.of(SMALL.build(), new Rng(5)).steps(3);
        Path dir = tmp.resolve("ckpt");
        Checkpoint.save(dir, SMALL, first.net(), first.opt(), first.ema(), new TrainingState(3, first.rng().state()));

        Training resumed = Training.of(((MlpConfig) Checkpoint.readConfig(dir)).withSeed(99).build(), new Rng(0)); // different init
        TrainingState st = Checkpoint.resume(dir, resumed.net(), resumed.opt(), resumed.ema());
        assertEquals(3, st.step());
        resumed.rng().restore(st.rng());
        resumed.steps(3);
        assertBitEqual(straight.net().stateDict(), resumed.net().stateDict());
        assertBitEqual(straight.ema().model().stateDict(), resumed.ema().model().stateDict());
        assertEquals(straight.rng().state(), resumed.rng().state());
    }

    @Test
    void checkpointsOfTheSharedStepFormatStillResume() throws IOException {
        Training straight = Training.of(SMALL.build(), new Rng(5)).steps(4);
        Training first = Training.of(SMALL.build(), new Rng(5)).steps(2);
        Adam optB = first.opt();
        Path dir = tmp.resolve("old");
        Checkpoint.save(dir, SMALL, first.net(), optB, first.ema(), new TrainingState(2, first.rng().state()));
        // rewrite the optimizer files as the earlier format: "step" and "<slot>.<parameter name>"
        java.util.List<String> names = new java.util.ArrayList<>(optB.parameters().keySet());
        java.util.LinkedHashMap<String, Tensor> flat = new java.util.LinkedHashMap<>();
        flat.put("step", Tensor.of(DType.F64, new double[] {2}, 1));
        optB.stateDict().state().forEach((i, slots) -> slots.forEach((slot, t) -> {
            if (!slot.equals("step")) {
                flat.put(slot + "." + names.get(i), t);
            }
        }));
        Path files = Checkpoint.files(dir); // the newest generation's folder
        java.nio.file.Files.delete(files.resolve(OptimizerFiles.GROUPS));
        dev.distillery.autograd.io.TensorFiles.save(files.resolve(OptimizerFiles.TENSORS), flat, Map.of());

        Training resumed = Training.of(SMALL.build(), new Rng(0));
        TrainingState st = Checkpoint.resume(dir, resumed.net(), resumed.opt(), resumed.ema());
        assertEquals(2, resumed.opt().stepCount());
        resumed.rng().restore(st.rng());
        resumed.steps(2);
        assertBitEqual(straight.net().stateDict(), resumed.net().stateDict());
    }

    private static void assertBitEqual(Map<String, Tensor> a, Map<String, Tensor> b) {
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v.toFloatArray(), b.get(k).toFloatArray(), 0f, k));
    }

    @Test
    void configAndWeightsRoundTripForEveryModelKind() throws IOException {
        for (var cfg : java.util.List.of(SMALL, UNetConfig.tiny().withConditioning(Conditioning.none().withSecondTime()))) {
            Module m = cfg.build();
            Path dir = tmp.resolve(cfg.kind());
            Checkpoint.save(dir, cfg, m, null, null, new TrainingState(0, null));
            assertEquals(cfg, Checkpoint.readConfig(dir));
            Module back = Checkpoint.loadModel(dir);
            m.stateDict().forEach((k, v) -> assertArrayEquals(v.toDoubleArray(), back.stateDict().get(k).toDoubleArray(), 0, k));
        }
    }

    @Test
    void aCheckpointsFilesHeldInMemoryBuildTheModelItsFolderLoads() throws IOException {
        Training run = Training.of(SMALL.build(), new Rng(3)).steps(3);
        MlpDenoiser net = run.net();
        Path dir = tmp.resolve("shipped");
        Checkpoint.save(dir, SMALL, net, run.opt(), run.ema(), new TrainingState(3, run.rng().state()));
        Path files = Checkpoint.files(dir);
        byte[] config = Files.readAllBytes(files.resolve(Checkpoint.CONFIG));

        // the EMA file (its update count dropped) gives the evaluation weights loadModel(Path) gives
        Map<String, Tensor> fromFolder = Checkpoint.loadModel(dir).stateDict();
        Map<String, Tensor> fromEma = Checkpoint.loadModel(config, Files.readAllBytes(files.resolve(Checkpoint.EMA)), "ema")
                .stateDict();
        assertEquals(fromFolder.keySet(), fromEma.keySet());
        fromFolder.forEach((k, v) -> assertArrayEquals(v.toFloatArray(), fromEma.get(k).toFloatArray(), k));
        // the model file gives the live weights
        Map<String, Tensor> live = net.stateDict();
        Map<String, Tensor> fromModel = Checkpoint.loadModel(config, Files.readAllBytes(files.resolve(Checkpoint.MODEL)), "model")
                .stateDict();
        live.forEach((k, v) -> assertArrayEquals(v.toFloatArray(), fromModel.get(k).toFloatArray(), k));

        IllegalArgumentException notAConfig = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.loadModel("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[0], "res"));
        assertTrue(notAConfig.getMessage().startsWith("res config.json is not an object"), notAConfig.getMessage());
        assertThrows(dev.distillery.autograd.io.SafetensorsException.class,
                () -> Checkpoint.loadModel(config, new byte[] {1, 2, 3}, "res"));
    }

    @Test
    void savingAgainReplacesTheDirectoryAndLeavesNoTemporaries() throws IOException {
        MlpDenoiser net = SMALL.build();
        Path dir = tmp.resolve("run");
        Checkpoint.save(dir, SMALL, net, null, null, new TrainingState(1, null));
        Checkpoint.save(dir, SMALL, net, null, null, new TrainingState(2, null));
        assertEquals(2, Checkpoint.readState(dir).step());
        try (var s = Files.list(tmp)) {
            assertEquals(java.util.List.of("run"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void loadingIntoADifferentArchitectureListsTheDifferences() throws IOException {
        Path dir = tmp.resolve("m");
        Checkpoint.save(dir, SMALL, SMALL.build(), null, null, new TrainingState(0, null));
        MlpDenoiser other = SMALL.withWidth(8).withConditioning(Conditioning.none()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.resume(dir, other, null, null));
        String m = e.getMessage();
        assertTrue(m.contains("unexpected [cond.label_emb.weight]"), m);
        assertTrue(m.contains("shape mismatch [0.weight (expected [8, 10], got [16, 10])"), m);
        MlpDenoiser f64 = SMALL.withDtype(DType.F64).build();
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.resume(dir, f64, null, null));
        assertTrue(e.getMessage().contains("dtype mismatch [0.weight (expected F64, got F32)"), e.getMessage());
    }

    @Test
    void jsonRoundTripsLongsDoublesAndEscapes() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("seed", Long.MIN_VALUE + 3);
        m.put("x", 0.1 + 0.2);
        m.put("s", "a\"b\\c\n");
        m.put("l", java.util.List.of(1L, 2.5, true));
        m.put("n", null);
        assertEquals(m, Json.parse(Json.write(m)));
    }
}
