package dev.distillery.distill;

import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.io.TensorFiles;
import dev.distillery.autograd.random.Rng;
import dev.distillery.distill.resume.TrainingSnapshot;
import dev.distillery.nn.checkpoint.GenerationFolder;
import dev.distillery.autograd.io.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A distillation run on disk, to be resumed: a folder of generations ({@link GenerationFolder},
 * the mechanism of nn's checkpoints: a save appears by one rename, so a crash leaves the old save
 * or the new one, never none):
 * <pre>
 *   CURRENT                  names the newest generation
 *   gen-000004/
 *     ...                    the caller's extra files (e.g. the command's flags), written first
 *     training.safetensors   the distiller's {@link Distiller#trainingState()} tensors, in their own dtypes
 *     state.json             {"method": name, "step": n, "rng": {"key": k, "position": p},
 *                             "counters": {...the training state's counters...}}, written last
 * </pre>
 * {@link #resume} restores the distiller and the step's {@link Rng}; training on from the returned
 * step gives bit for bit what the run that was saved would have given. JSON is written with
 * sorted keys and the tensors in the distiller's order, so equal states give equal bytes.
 */
public final class DistillCheckpoint {
    /** The distiller's tensors. */
    public static final String TENSORS = "training.safetensors";
    /** Step, generator, counters and method; written last, so a generation with it is complete. */
    public static final String STATE = "state.json";
    /** The format tag in the tensors' metadata. */
    static final String FORMAT = "distillery-training/1";

    private static final Pattern EXTRA_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Set<String> OWN_FILES = Set.of(TENSORS, STATE);

    /**
     * Where a resumed run stands.
     *
     * @param step the steps done
     * @param rng  the state of the step's generator after them
     */
    public record Position(long step, Rng.State rng) {
    }

    private DistillCheckpoint() {
    }

    /**
     * Writes {@code distiller}'s training state after {@code step} steps and {@code rng}'s state
     * as a new generation of {@code dir}, with {@code extraFiles} (name to writer) beside them.
     *
     * @throws IOException if {@code dir} exists but is neither a distill checkpoint nor empty (a
     *                     save never replaces other files), or on a write failure (the previous
     *                     save then stays current)
     */
    public static void save(Path dir, Distiller distiller, long step, Rng rng,
                            Map<String, GenerationFolder.FileWriter> extraFiles) throws IOException {
        for (String name : extraFiles.keySet()) {
            if (!EXTRA_NAME.matcher(name).matches() || OWN_FILES.contains(name)) {
                throw new IllegalArgumentException("extra file name '" + name + "' is not a plain file name or is one of "
                        + OWN_FILES);
            }
        }
        Path target = dir.toAbsolutePath();
        if (Files.exists(target) && !isCheckpoint(target) && !GenerationFolder.isEmpty(target)) {
            throw new IOException(target + " exists and is neither a distill checkpoint (no " + TENSORS + ") nor empty; a "
                    + "save never replaces other files: choose another folder");
        }
        TrainingSnapshot snapshot = distiller.trainingState();
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("method", distiller.name());
        state.put("step", step);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("key", rng.state().key());
        r.put("position", rng.state().position());
        state.put("rng", r);
        state.put("counters", new LinkedHashMap<String, Object>(snapshot.counters()));
        String json = Json.write(state);
        Map<String, GenerationFolder.FileWriter> files = new LinkedHashMap<>();
        // in name order: the same save writes its files in the same order whatever map the caller passed
        files.putAll(new TreeMap<>(extraFiles));
        files.put(TENSORS, f -> TensorFiles.save(f, snapshot.tensors(), Map.of("format", FORMAT, "method", distiller.name())));
        files.put(STATE, f -> Files.writeString(f, json, StandardCharsets.UTF_8));
        GenerationFolder.publish(target, files);
    }

    /**
     * Restores the newest save of {@code dir} into {@code distiller} (fresh, from the same method,
     * setup and step budget) and {@code rng}; returns where the run stands.
     *
     * @throws NoSuchFileException      naming {@code dir/state.json} when {@code dir} holds no save
     * @throws IllegalArgumentException if the save is of another method, or does not fit the distiller
     *                                  (which may then be partly restored: discard it)
     */
    public static Position resume(Path dir, Distiller distiller, Rng rng) throws IOException {
        Path files = files(dir);
        Path stateFile = files.resolve(STATE);
        if (!(Json.read(stateFile) instanceof Map<?, ?> st) || !(st.get("step") instanceof Long step) || step < 0
                || !(st.get("method") instanceof String method) || !(st.get("rng") instanceof Map<?, ?> r)
                || !(r.get("key") instanceof Long key) || !(r.get("position") instanceof Long position)
                || !(st.get("counters") instanceof Map<?, ?> counters)) {
            throw new IllegalArgumentException(stateFile + " is not an object {\"method\": name, \"step\": n >= 0, "
                    + "\"rng\": {\"key\": k, \"position\": p}, \"counters\": {...}}");
        }
        if (!method.equals(distiller.name())) {
            throw new IllegalArgumentException(dir + " holds a run of '" + method + "', not of '" + distiller.name() + "'");
        }
        Map<String, Long> c = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : counters.entrySet()) {
            if (!(e.getValue() instanceof Long v)) {
                throw new IllegalArgumentException(stateFile + ": counter " + e.getKey() + " is " + e.getValue()
                        + ", not an integer");
            }
            c.put(String.valueOf(e.getKey()), v);
        }
        Map<String, Tensor> tensors = TensorFiles.load(files.resolve(TENSORS));
        distiller.restoreTraining(new TrainingSnapshot(tensors, c));
        Rng.State generator = new Rng.State(key, position);
        rng.restore(generator);
        return new Position(step, generator);
    }

    /** Whether {@code dir} holds a complete save. */
    public static boolean isCheckpoint(Path dir) {
        try {
            return GenerationFolder.newest(dir, DistillCheckpoint::complete) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The folder that holds the newest complete save's files.
     *
     * @throws NoSuchFileException naming {@code dir/state.json} when there is none
     */
    public static Path files(Path dir) throws IOException {
        Path p = GenerationFolder.newest(dir, DistillCheckpoint::complete);
        if (p == null) {
            throw new NoSuchFileException(dir.resolve(STATE).toString());
        }
        return p;
    }

    /** The path of {@code name} in the newest save ({@link #files}). */
    public static Path file(Path dir, String name) throws IOException {
        return files(dir).resolve(name);
    }

    /**
     * Deletes what a save killed before its end left in {@code dir} (temporary folders, older
     * generations); the newest save is untouched. For the start of a writer that resumes.
     */
    public static void removeLeftovers(Path dir) throws IOException {
        GenerationFolder.removeLeftovers(dir, DistillCheckpoint::complete);
    }

    /** A generation with its tensors and its last file. */
    private static boolean complete(Path generation) {
        return Files.isRegularFile(generation.resolve(TENSORS)) && Files.isRegularFile(generation.resolve(STATE));
    }
}
