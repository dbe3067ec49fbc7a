package dev.distillery.nn.checkpoint;

import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.io.TensorFiles;
import dev.distillery.autograd.random.Rng;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.ModelConfig;
import dev.distillery.nn.optim.Ema;
import dev.distillery.nn.optim.Optimizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A checkpoint directory:
 * <pre>
 *   config.json            {"kind": "mlp_denoiser", "config": {...the config record...}}
 *   model.safetensors      the model's state dict, PyTorch names and layouts, in the model's dtype
 *   optimizer.safetensors  optimizer state as torch's state_dict, when an optimizer is given:
 *   optimizer.json         state.INDEX.SLOT tensors and the param_groups ({@link OptimizerFiles})
 *   ema.safetensors        EMA average and update count, when an EMA is given
 *   state.json             {"step": n, "rng": {"key": k, "position": p}}
 * </pre>
 * Saving is atomic: everything is written to a temporary sibling directory, which then replaces
 * the target by rename, so a crash leaves the old checkpoint or the new one, never a mix.
 */
public final class Checkpoint {
    public static final String CONFIG = "config.json";
    public static final String MODEL = "model.safetensors";
    public static final String OPTIMIZER = OptimizerFiles.TENSORS;
    public static final String EMA = "ema.safetensors";
    public static final String STATE = "state.json";

    private Checkpoint() {
    }

    /** Writes a checkpoint of {@code model} (and optionally optimizer and EMA) to {@code dir}. */
    public static void save(Path dir, ModelConfig config, Module model, Optimizer<?> optimizer, Ema ema,
                            TrainingState state) throws IOException {
        if (!(config instanceof Record)) {
            throw new IllegalArgumentException("checkpoint configs must be records, got " + config.getClass());
        }
        Path target = dir.toAbsolutePath();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        String tag = Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path temp = parent.resolve("." + target.getFileName() + ".tmp-" + tag);
        Files.createDirectory(temp);
        try {
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("kind", config.kind());
            cfg.put("config", RecordJson.toTree((Record) config));
            Files.writeString(temp.resolve(CONFIG), Json.write(cfg), StandardCharsets.UTF_8);
            TensorFiles.save(temp.resolve(MODEL), model.stateDict(), Map.of("format", "pt", "kind", config.kind()));
            if (optimizer != null) {
                OptimizerFiles.save(temp, optimizer);
            }
            if (ema != null) {
                TensorFiles.save(temp.resolve(EMA), ema.stateDict(), Map.of());
            }
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("step", state.step());
            if (state.rng() != null) {
                st.put("rng", new LinkedHashMap<>(Map.of("key", state.rng().key(), "position", state.rng().position())));
            }
            Files.writeString(temp.resolve(STATE), Json.write(st), StandardCharsets.UTF_8);
            replace(temp, target, parent.resolve("." + target.getFileName() + ".old-" + tag));
        } finally {
            deleteTree(temp);
        }
    }

    /** Moves the finished temp directory into place, swapping out an existing checkpoint. */
    private static void replace(Path temp, Path target, Path old) throws IOException {
        boolean hadOld = Files.exists(target);
        if (hadOld) {
            move(target, old);
        }
        move(temp, target);
        if (hadOld) {
            deleteTree(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }

    /** The config record stored in {@code dir}. */
    public static ModelConfig readConfig(Path dir) throws IOException {
        Map<?, ?> cfg = (Map<?, ?>) Json.parse(Files.readString(dir.resolve(CONFIG), StandardCharsets.UTF_8));
        String kind = (String) cfg.get("kind");
        Class<? extends ModelConfig> type = ModelKinds.lookup(kind);
        return (ModelConfig) RecordJson.fromTree((Map<?, ?>) cfg.get("config"), asRecord(type));
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Record> asRecord(Class<? extends ModelConfig> type) {
        return (Class<? extends Record>) (Class<?>) type;
    }

    /** Builds the stored model from its config and loads its weights (strict). */
    public static Module loadModel(Path dir) throws IOException {
        Module m = readConfig(dir).build();
        m.loadStateDict(TensorFiles.load(dir.resolve(MODEL)), true);
        return m;
    }

    /**
     * Restores a run in place: model weights (strict; differences are listed), optimizer and EMA
     * state when given, and returns the training state.
     */
    public static TrainingState resume(Path dir, Module model, Optimizer<?> optimizer, Ema ema) throws IOException {
        model.loadStateDict(TensorFiles.load(dir.resolve(MODEL)), true);
        if (optimizer != null) {
            OptimizerFiles.load(dir, optimizer);
        }
        if (ema != null) {
            ema.loadStateDict(TensorFiles.load(dir.resolve(EMA)));
        }
        return readState(dir);
    }

    public static TrainingState readState(Path dir) throws IOException {
        Map<?, ?> st = (Map<?, ?>) Json.parse(Files.readString(dir.resolve(STATE), StandardCharsets.UTF_8));
        Map<?, ?> rng = (Map<?, ?>) st.get("rng");
        Rng.State r = rng == null ? null : new Rng.State((Long) rng.get("key"), (Long) rng.get("position"));
        return new TrainingState((Long) st.get("step"), r);
    }

    /** The model weights of a checkpoint as named tensors. */
    public static LinkedHashMap<String, Tensor> readWeights(Path dir) throws IOException {
        return TensorFiles.load(dir.resolve(MODEL));
    }
}
