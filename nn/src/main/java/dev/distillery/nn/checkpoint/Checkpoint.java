package dev.distillery.nn.checkpoint;

import dev.distillery.autograd.io.Json;
import dev.distillery.autograd.io.SafetensorsException;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.io.TensorFiles;
import dev.distillery.autograd.random.Rng;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.ModelConfig;
import dev.distillery.nn.optim.Ema;
import dev.distillery.nn.optim.Optimizer;
import dev.distillery.nn.optim.OptimizerStateDict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A checkpoint folder. Its files live in the newest <em>generation</em> subfolder
 * ({@link GenerationFolder}: a new one appears by one rename, so a crash leaves the old checkpoint
 * or the new, never none):
 * <pre>
 *   CURRENT                names the newest generation, for tools outside Distillery
 *   gen-000007/
 *     config.json            {"config": {...the config record...}, "kind": "mlp_denoiser"}
 *     model.safetensors      the model's state dict, PyTorch names and layouts, in the model's dtype
 *     optimizer.safetensors  optimizer state as torch's state_dict, when an optimizer is given:
 *     optimizer.json         state.INDEX.SLOT tensors and the param_groups ({@link OptimizerFiles})
 *     ema.safetensors        EMA average and update count, when an EMA is given
 *     state.json             {"rng": {"key": k, "position": p}, "step": n}
 *     ...                    extra files of the caller (e.g. what the network predicts)
 * </pre>
 * Folders of the earlier flat layout (the files directly in the folder) are still read, and are
 * turned into the generation layout by the next save. Every JSON object is written with sorted
 * keys and every safetensors file with sorted metadata, so equal states give equal bytes.
 *
 * <p>Evaluation ({@link #loadModel}, {@link #readWeights}) uses the EMA average when the
 * checkpoint has one (the weights a trainer with EMA samples with) and the model weights
 * otherwise; {@link #resume} restores the live model, optimizer and EMA of a training run.
 */
public final class Checkpoint {
    public static final String CONFIG = "config.json";
    public static final String MODEL = "model.safetensors";
    public static final String OPTIMIZER = OptimizerFiles.TENSORS;
    public static final String OPTIMIZER_GROUPS = OptimizerFiles.GROUPS;
    public static final String EMA = "ema.safetensors";
    public static final String STATE = "state.json";

    /** Names of extra files: plain names, no path separators, not hidden. */
    private static final Pattern EXTRA_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Set<String> OWN_FILES = Set.of(CONFIG, MODEL, OPTIMIZER, OPTIMIZER_GROUPS, EMA, STATE);

    private Checkpoint() {
    }

    /** Writes a checkpoint of {@code model} (and optionally optimizer and EMA) to {@code dir}. */
    public static void save(Path dir, ModelConfig config, Module model, Optimizer<?> optimizer, Ema ema,
                            TrainingState state) throws IOException {
        save(dir, config, model, optimizer, ema, state, Map.of());
    }

    /**
     * Writes a checkpoint as a new generation of {@code dir}, with {@code extraFiles} (name to
     * bytes) beside the checkpoint's own files, so that they are replaced together.
     *
     * @throws IOException if {@code dir} exists but is neither a checkpoint nor an empty folder
     *                     (a checkpoint never replaces other files), or on a write failure (the
     *                     previous checkpoint then stays intact)
     */
    public static void save(Path dir, ModelConfig config, Module model, Optimizer<?> optimizer, Ema ema,
                            TrainingState state, Map<String, byte[]> extraFiles) throws IOException {
        if (!(config instanceof Record)) {
            throw new IllegalArgumentException("checkpoint configs must be records, got " + config.getClass());
        }
        for (String name : extraFiles.keySet()) {
            if (!EXTRA_NAME.matcher(name).matches() || OWN_FILES.contains(name)) {
                throw new IllegalArgumentException("extra checkpoint file name '" + name + "' is not a plain file name"
                        + " or is one of the checkpoint's own " + OWN_FILES);
            }
        }
        Path target = dir.toAbsolutePath();
        LegacyCheckpoints.recoverSiblings(target);
        if (Files.exists(target) && !isCheckpoint(target) && !GenerationFolder.isEmpty(target)) {
            throw new IOException(target + " exists and is not a checkpoint folder (no " + CONFIG + "); a checkpoint"
                    + " never replaces other files: choose another folder");
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("kind", config.kind());
        cfg.put("config", Json.toTree((Record) config));
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("step", state.step());
        if (state.rng() != null) {
            Map<String, Object> rng = new LinkedHashMap<>();
            rng.put("key", state.rng().key());
            rng.put("position", state.rng().position());
            st.put("rng", rng);
        }
        Map<String, GenerationFolder.FileWriter> files = new LinkedHashMap<>();
        files.put(CONFIG, f -> Files.writeString(f, Json.write(cfg), StandardCharsets.UTF_8));
        files.put(MODEL, f -> TensorFiles.save(f, model.stateDict(), Map.of("format", "pt", "kind", config.kind())));
        if (optimizer != null) {
            OptimizerStateDict optimizerState = optimizer.stateDict();
            files.put(OPTIMIZER, f -> OptimizerFiles.writeTensors(f, optimizerState));
            files.put(OPTIMIZER_GROUPS, f -> OptimizerFiles.writeGroups(f, optimizerState));
        }
        if (ema != null) {
            files.put(EMA, f -> TensorFiles.save(f, ema.stateDict(), Map.of()));
        }
        // in name order: the same save writes its files in the same order whatever map the caller passed
        new TreeMap<>(extraFiles).forEach((name, bytes) -> files.put(name, f -> Files.write(f, bytes)));
        // state.json last: a reader that looked at a folder file by file would see it only when all is there
        files.put(STATE, f -> Files.writeString(f, Json.write(st), StandardCharsets.UTF_8));
        GenerationFolder.publish(target, files);
        LegacyCheckpoints.removeFlatFiles(target, extraFiles.keySet());
    }

    /**
     * Whether {@code dir} holds a checkpoint: a generation with its {@value #CONFIG}, or the
     * earlier flat layout ({@value #CONFIG} and {@value #MODEL} directly inside).
     */
    public static boolean isCheckpoint(Path dir) {
        try {
            return current(dir) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The folder that holds the checkpoint's files now: its newest complete generation, or
     * {@code dir} itself for the earlier flat layout.
     *
     * @throws NoSuchFileException naming {@code dir/config.json} when {@code dir} holds no checkpoint
     */
    public static Path files(Path dir) throws IOException {
        Path p = current(dir);
        if (p == null) {
            throw new NoSuchFileException(dir.resolve(CONFIG).toString());
        }
        return p;
    }

    /** The path of {@code name} in the checkpoint's current files ({@link #files}). */
    public static Path file(Path dir, String name) throws IOException {
        return files(dir).resolve(name);
    }

    private static Path current(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        Path newest = GenerationFolder.newest(dir, Checkpoint::complete);
        if (newest != null) {
            return newest;
        }
        return LegacyCheckpoints.isFlat(dir) ? dir : null;
    }

    /**
     * A generation with its first and last file ({@link #save} writes {@value #STATE} last);
     * anything less was not written by {@link #save}. A file missing in between is reported by
     * the reader that needs it, naming it.
     */
    private static boolean complete(Path generation) {
        return Files.isRegularFile(generation.resolve(CONFIG)) && Files.isRegularFile(generation.resolve(STATE));
    }

    /**
     * Deletes what a save killed before its end left in {@code dir} (temporary folders, older
     * generations); the checkpoint itself is untouched. For the start of a writer that resumes.
     */
    public static void removeLeftovers(Path dir) throws IOException {
        GenerationFolder.removeLeftovers(dir, Checkpoint::complete);
    }

    /** The config record stored in {@code dir}. */
    public static ModelConfig readConfig(Path dir) throws IOException {
        Path file = file(dir, CONFIG);
        return config(Json.read(file), file.toString());
    }

    /** The config record of a parsed {@value #CONFIG} document; {@code source} names it in errors. */
    private static ModelConfig config(Object document, String source) {
        if (!(document instanceof Map<?, ?> cfg) || !(cfg.get("kind") instanceof String kind)
                || !(cfg.get("config") instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException(source + " is not an object {\"kind\": ..., \"config\": {...}}");
        }
        Class<? extends ModelConfig> type = ModelKinds.lookup(kind);
        return (ModelConfig) Json.fromTree(fields, asRecord(type));
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Record> asRecord(Class<? extends ModelConfig> type) {
        return (Class<? extends Record>) (Class<?>) type;
    }

    /** Builds the stored model from its config and loads its evaluation weights (strict). */
    public static Module loadModel(Path dir) throws IOException {
        Path files = files(dir);
        Module m = readConfig(dir).build();
        m.loadStateDict(evaluationWeights(files), true);
        return m;
    }

    /**
     * As {@link #loadModel(Path)}, from a checkpoint's files held in memory (a checkpoint shipped as
     * a resource): the bytes of its {@value #CONFIG} and of one weights file, {@value #MODEL} or
     * {@value #EMA} (whose update count is dropped). {@code source} names them in errors.
     *
     * @throws IllegalArgumentException if the config is not a model config, or the weights do not fit it
     * @throws SafetensorsException     if the weights break the safetensors format
     */
    public static Module loadModel(byte[] configJson, byte[] weights, String source) throws SafetensorsException {
        Module m = config(Json.parse(new String(configJson, StandardCharsets.UTF_8)), source + " " + CONFIG).build();
        LinkedHashMap<String, Tensor> w = TensorFiles.load(weights);
        w.remove(Ema.UPDATES);
        m.loadStateDict(w, true);
        return m;
    }

    /**
     * Restores a run in place: model weights (strict; differences are listed), optimizer and EMA
     * state when given, and returns the training state.
     */
    public static TrainingState resume(Path dir, Module model, Optimizer<?> optimizer, Ema ema) throws IOException {
        Path files = files(dir);
        model.loadStateDict(TensorFiles.load(files.resolve(MODEL)), true);
        if (optimizer != null) {
            OptimizerFiles.load(files, optimizer);
        }
        if (ema != null) {
            ema.loadStateDict(TensorFiles.load(files.resolve(EMA)));
        }
        return readState(dir);
    }

    /** The step and generator state stored in {@code dir}. */
    public static TrainingState readState(Path dir) throws IOException {
        Path file = file(dir, STATE);
        if (!(Json.read(file) instanceof Map<?, ?> st) || !(st.get("step") instanceof Long step) || step < 0) {
            throw new IllegalArgumentException(file + " is not an object {\"step\": n, ...} with n >= 0");
        }
        Object rng = st.get("rng");
        if (rng == null) {
            return new TrainingState(step, null);
        }
        if (!(rng instanceof Map<?, ?> r) || !(r.get("key") instanceof Long key)
                || !(r.get("position") instanceof Long position)) {
            throw new IllegalArgumentException(file + ": rng is not an object {\"key\": integer, \"position\": integer}");
        }
        return new TrainingState(step, new Rng.State(key, position));
    }

    /** The evaluation weights of a checkpoint as named tensors: the EMA average when present, else the model's. */
    public static LinkedHashMap<String, Tensor> readWeights(Path dir) throws IOException {
        return evaluationWeights(files(dir));
    }

    private static LinkedHashMap<String, Tensor> evaluationWeights(Path files) throws IOException {
        Path ema = files.resolve(EMA);
        if (!Files.isRegularFile(ema)) {
            return TensorFiles.load(files.resolve(MODEL));
        }
        LinkedHashMap<String, Tensor> weights = TensorFiles.load(ema);
        weights.keySet().removeAll(List.of(Ema.UPDATES));
        return weights;
    }
}
