package dev.distillery.cli.store;

import dev.distillery.autograd.io.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@value #FILE} a {@code train} checkpoint carries: the flags that decide what is trained,
 * so that {@code train --resume} continues the same run and refuses different flags (which would
 * silently train something else from the same weights).
 *
 * @param dataset          the dataset's command-line name
 * @param classConditional whether the network reads class labels
 * @param steps            the total number of steps of the run
 * @param seed             the run's seed
 */
public record TrainingRecord(String dataset, boolean classConditional, int steps, long seed)
        implements CheckpointTarget.SavedFlags<TrainingRecord> {
    public static final String FILE = "training.json";

    public byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("class_conditional", classConditional);
        m.put("steps", (long) steps);
        m.put("seed", seed);
        return Json.write(m).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the file {@code file} (size-bounded, see {@link Json#read}); anything else than this
     * record's JSON is an {@link IllegalArgumentException}.
     */
    public static TrainingRecord read(java.nio.file.Path file) throws java.io.IOException {
        if (!(Json.read(file) instanceof Map<?, ?> m) || !(m.get("dataset") instanceof String dataset)
                || !(m.get("class_conditional") instanceof Boolean conditional) || !(m.get("steps") instanceof Long steps)
                || steps < 1 || steps > Integer.MAX_VALUE || !(m.get("seed") instanceof Long seed)) {
            throw new IllegalArgumentException("not an object {dataset, class_conditional, steps, seed}");
        }
        return new TrainingRecord(dataset, conditional, (int) (long) steps, seed);
    }

    /** The flags, as the user would type them, in which {@code other} differs from this record. */
    @Override
    public List<String> differences(TrainingRecord other) {
        List<String> out = new ArrayList<>();
        if (!dataset.equals(other.dataset)) {
            out.add("--dataset " + dataset);
        }
        if (classConditional != other.classConditional) {
            out.add(classConditional ? "--class-conditional" : "no --class-conditional");
        }
        if (steps != other.steps) {
            out.add("--steps " + steps);
        }
        if (seed != other.seed) {
            out.add("--seed " + seed);
        }
        return out;
    }
}
