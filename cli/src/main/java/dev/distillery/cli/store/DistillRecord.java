package dev.distillery.cli.store;

import dev.distillery.autograd.io.Json;
import dev.distillery.distill.MethodSettings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@value #FILE} a {@code distill --checkpoint} save carries: the flags that decide what is
 * trained, so that {@code distill --resume} continues the same run and refuses different flags
 * (which would silently train something else from the saved state), and the fingerprint of the
 * teacher's weights, so that a teacher checkpoint replaced since the save is refused too. The
 * flags that only decide what is measured afterwards ({@code --samples}, {@code --sample-steps})
 * and where the report goes may differ.
 *
 * @param method            the method's registry name
 * @param settings          the {@code --set} settings over its recipe, canonical ({@link MethodSettings#label()}; "" for none)
 * @param dataset           the dataset's command-line name
 * @param steps             the training steps of the run (its budget, after defaults)
 * @param batch             the batch size (after defaults)
 * @param narrow            whether the student is the narrow one
 * @param seed              the run's seed
 * @param teacher           {@code --teacher} as resolved (analytic or trained), or "checkpoint"
 * @param teacherCheckpoint the absolute {@code --teacher-checkpoint} folder, or null
 * @param teacherPrediction {@code --teacher-prediction} as given, or null
 * @param teacherSteps      {@code --teacher-steps} as given, or null
 * @param teacherWeights    SHA-256 of the teacher network's weights ({@link dev.distillery.cli.teacher.TeacherFingerprint}),
 *                          "none" for a teacher without a network; null while not yet known
 */
public record DistillRecord(String method, String settings, String dataset, int steps, int batch, boolean narrow, long seed,
                            String teacher, String teacherCheckpoint, String teacherPrediction, Integer teacherSteps,
                            String teacherWeights)
        implements CheckpointTarget.SavedFlags<DistillRecord> {
    static final String FILE = "distill.json";
    /** The format tag; a reader refuses others. */
    static final String FORMAT = "distillery-distill-run/1";

    /** This record with the teacher's fingerprint. */
    DistillRecord withTeacherWeights(String fingerprint) {
        return new DistillRecord(method, settings, dataset, steps, batch, narrow, seed, teacher, teacherCheckpoint, teacherPrediction,
                teacherSteps, fingerprint);
    }

    byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("method", method);
        m.put("settings", settings);
        m.put("dataset", dataset);
        m.put("steps", (long) steps);
        m.put("batch", (long) batch);
        m.put("narrow", narrow);
        m.put("seed", seed);
        m.put("teacher", teacher);
        m.put("teacher_checkpoint", teacherCheckpoint);
        m.put("teacher_prediction", teacherPrediction);
        m.put("teacher_steps", teacherSteps == null ? null : (long) teacherSteps);
        m.put("teacher_weights", teacherWeights);
        return Json.write(m).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the file {@code file} (size-bounded, see {@link Json#read}); anything else than this
     * record's JSON is an {@link IllegalArgumentException} naming the field.
     */
    static DistillRecord read(java.nio.file.Path file) throws java.io.IOException {
        if (!(Json.read(file) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (!FORMAT.equals(m.get("format"))) {
            throw new IllegalArgumentException("format is " + m.get("format") + ", not " + FORMAT);
        }
        Object teacherSteps = m.get("teacher_steps");
        if (teacherSteps != null && !(teacherSteps instanceof Long)) {
            throw new IllegalArgumentException("field 'teacher_steps' is " + teacherSteps + ", not an integer or null");
        }
        // a save from before --set has no settings field: it was trained with none
        String settings = optional(m, "settings");
        return new DistillRecord(field(m, "method", String.class), settings == null ? "" : settings,
                field(m, "dataset", String.class),
                positive(m, "steps"), positive(m, "batch"), field(m, "narrow", Boolean.class), field(m, "seed", Long.class),
                field(m, "teacher", String.class), optional(m, "teacher_checkpoint"), optional(m, "teacher_prediction"),
                teacherSteps == null ? null : Math.toIntExact((Long) teacherSteps), optional(m, "teacher_weights"));
    }

    /**
     * The flags, as the user would type them, in which {@code other} differs from this record
     * (the teacher's weights aside: they are checked once the teacher is loaded).
     */
    @Override
    public List<String> differences(DistillRecord other) {
        List<String> out = new ArrayList<>();
        if (!method.equals(other.method)) {
            out.add("--method " + method);
        }
        if (!settings.equals(other.settings)) {
            out.add(settings.isEmpty() ? "no --set" : String.join(" ", MethodSettings.parse(settings).assignments().stream()
                    .map(a -> "--set " + a).toList()));
        }
        if (!dataset.equals(other.dataset)) {
            out.add("--dataset " + dataset);
        }
        if (steps != other.steps) {
            out.add("--steps " + steps);
        }
        if (batch != other.batch) {
            out.add("--batch " + batch);
        }
        if (narrow != other.narrow) {
            out.add(narrow ? "--narrow" : "no --narrow");
        }
        if (seed != other.seed) {
            out.add("--seed " + seed);
        }
        if (!teacher.equals(other.teacher) || !Objects.equals(teacherCheckpoint, other.teacherCheckpoint)) {
            out.add(teacherCheckpoint != null ? "--teacher-checkpoint " + teacherCheckpoint : "--teacher " + teacher);
        }
        if (!Objects.equals(teacherPrediction, other.teacherPrediction)) {
            out.add(teacherPrediction != null ? "--teacher-prediction " + teacherPrediction : "no --teacher-prediction");
        }
        if (!Objects.equals(teacherSteps, other.teacherSteps)) {
            out.add(teacherSteps != null ? "--teacher-steps " + teacherSteps : "no --teacher-steps");
        }
        return out;
    }

    private static int positive(Map<?, ?> m, String key) {
        long v = field(m, key, Long.class);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("field '" + key + "' is " + v + ", not a positive int");
        }
        return (int) v;
    }

    private static String optional(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v != null && !(v instanceof String)) {
            throw new IllegalArgumentException("field '" + key + "' is " + v + ", not a string or null");
        }
        return (String) v;
    }

    private static <T> T field(Map<?, ?> m, String key, Class<T> type) {
        Object v = m.get(key);
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException(v == null ? "no field '" + key + "'"
                    : "field '" + key + "' is " + v + ", not a " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT));
        }
        return type.cast(v);
    }
}
