package dev.distillery.cli.store;

import dev.distillery.distill.DistillMethod;
import dev.distillery.distill.MethodSettings;
import dev.distillery.autograd.io.Json;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.teacher.Predictions;
import dev.distillery.cli.teacher.Teacher;
import dev.distillery.diffusion.denoise.Prediction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@value #FILE} of a student folder: everything needed to rebuild the distiller that was
 * trained ({@code method.create(setup, steps)} on the same dataset, teacher, student width, batch
 * and seed) and the names of what it restores: one {@code <network>.safetensors} per network, and
 * the counters. Read back by {@link #read}, which checks every field and says which is wrong.
 *
 * @param method     registry name of the method
 * @param settings   the settings over the method's recipe it was trained with ({@code --set}; stored
 *                   only when there are some, so a student without them keeps the earlier layout)
 * @param dataset    the dataset's command-line name
 * @param seed       the run's seed (initialisations)
 * @param narrow     whether the student is the narrow one of {@code --narrow} / {@code demo --quick}
 * @param batch      training batch size (part of the setup)
 * @param steps      training steps (the {@code trainingSteps} the distiller was created with)
 * @param teacher    where the teacher came from
 * @param networks   the network names, each stored as {@code <name>.safetensors}
 * @param counters   the distiller's integer counters
 */
public record StudentRecord(String method, MethodSettings settings, String dataset, long seed, boolean narrow, int batch, int steps, TeacherRecord teacher,
                     List<String> networks, Map<String, Long> counters) {
    public static final String FILE = "student.json";
    /** The format tag; a reader refuses others. */
    public static final String FORMAT = "distillery-student/1";
    /** A network name: also a file name, so no separators, no leading dot, bounded. */
    private static final java.util.regex.Pattern NETWORK_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    public StudentRecord {
        java.util.Objects.requireNonNull(settings, "settings");
        networks = List.copyOf(networks);
        counters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }

    /**
     * The run's teacher.
     *
     * @param network    false: the dataset's analytic teacher; true: the network stored in the
     *                   folder's {@value StudentFolder#TEACHER} subfolder (an nn checkpoint)
     * @param prediction what that network predicts (null for the analytic teacher)
     * @param origin     one line for people: how the teacher was obtained
     */
    public record TeacherRecord(boolean network, Prediction prediction, String origin) {
        public static TeacherRecord of(Teacher t) {
            if (t.network() == null) {
                return new TeacherRecord(false, null, t.description());
            }
            if (!(t.denoiser() instanceof dev.distillery.diffusion.denoise.NetworkDenoiser nd)) {
                throw new IllegalStateException("teacher network without a NetworkDenoiser: " + t.description());
            }
            return new TeacherRecord(true, nd.kind(), t.description());
        }
    }

    /** The record of {@code state}, trained by {@code method} (with its settings) with these flags on {@code teacher}. */
    public static StudentRecord of(DistillMethod method, Dataset dataset, long seed, boolean narrow, int batch, int steps,
                            Teacher teacher, dev.distillery.distill.StudentState state) {
        return new StudentRecord(method.name(), method.settings(), dataset.key(), seed, narrow, batch, steps, TeacherRecord.of(teacher),
                new ArrayList<>(state.networks().keySet()), state.counters());
    }

    String toJson() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("kind", teacher.network() ? "network" : "analytic");
        if (teacher.network()) {
            t.put("prediction", teacher.prediction().name().toLowerCase(Locale.ROOT));
            t.put("folder", StudentFolder.TEACHER);
        }
        t.put("origin", teacher.origin());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("method", method);
        if (!settings.isEmpty()) {
            m.put("settings", new LinkedHashMap<String, Object>(settings.values()));
        }
        m.put("dataset", dataset);
        m.put("seed", seed);
        m.put("narrow", narrow);
        m.put("batch", batch);
        m.put("steps", steps);
        m.put("teacher", t);
        m.put("networks", new ArrayList<Object>(networks));
        m.put("counters", new LinkedHashMap<String, Object>(counters));
        return Json.write(m);
    }

    /**
     * Reads the file {@code file} (size-bounded, see {@link Json#read}); a missing or ill-typed
     * field, or a network name that is not a plain file name, is an
     * {@link IllegalArgumentException} naming it.
     */
    static StudentRecord read(java.nio.file.Path file) throws java.io.IOException {
        return of(Json.read(file));
    }

    private static StudentRecord of(Object tree) {
        if (!(tree instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (!FORMAT.equals(m.get("format"))) {
            throw new IllegalArgumentException("format is " + m.get("format") + ", not " + FORMAT);
        }
        Map<?, ?> t = field(m, "teacher", Map.class);
        String kind = field(t, "kind", String.class);
        if (!kind.equals("network") && !kind.equals("analytic")) {
            throw new IllegalArgumentException("teacher.kind is '" + kind + "', not network or analytic");
        }
        boolean network = kind.equals("network");
        Prediction p = network ? Predictions.parse(field(t, "prediction", String.class), "teacher.prediction") : null;
        List<String> networks = new ArrayList<>();
        for (Object o : field(m, "networks", List.class)) {
            // each name becomes a path (<name>.safetensors), so it is checked before any use
            if (!(o instanceof String s) || !NETWORK_NAME.matcher(s).matches() || networks.contains(s)) {
                throw new IllegalArgumentException("networks holds " + (o instanceof String s ? "'" + s + "'" : o)
                        + ", which is not a plain network name (letters, digits, '_', '.', '-'; at most 64; once)");
            }
            networks.add(s);
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        field(m, "counters", Map.class).forEach((k, v) -> {
            if (!(v instanceof Long l)) {
                throw new IllegalArgumentException("counter " + k + " is " + v + ", not an integer");
            }
            counters.put(String.valueOf(k), l);
        });
        Map<String, String> settings = new LinkedHashMap<>();
        if (m.get("settings") != null) {
            field(m, "settings", Map.class).forEach((k, v) -> {
                if (!(v instanceof String s)) {
                    throw new IllegalArgumentException("setting " + k + " is " + v + ", not a string");
                }
                settings.put(String.valueOf(k), s);
            });
        }
        return new StudentRecord(field(m, "method", String.class), MethodSettings.of(settings), field(m, "dataset", String.class),
                field(m, "seed", Long.class), field(m, "narrow", Boolean.class), positive(m, "batch"),
                positive(m, "steps"), new TeacherRecord(network, p, String.valueOf(t.get("origin"))), networks, counters);
    }

    private static int positive(Map<?, ?> m, String key) {
        long v = field(m, key, Long.class);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " is " + v + ", not a positive int");
        }
        return (int) v;
    }

    private static <T> T field(Map<?, ?> m, String key, Class<T> type) {
        Object v = m.get(key);
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException(v == null ? "no field '" + key + "'"
                    : "field '" + key + "' is " + v + ", not a " + type.getSimpleName().toLowerCase(Locale.ROOT));
        }
        return type.cast(v);
    }
}
