package dev.distillery.cli.store;


import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.io.Json;
import dev.distillery.autograd.io.TensorFiles;
import dev.distillery.autograd.random.Rng;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.report.LossHistory;
import dev.distillery.cli.report.LossPlot;
import dev.distillery.cli.teacher.TeacherFingerprint;
import dev.distillery.distill.DistillCheckpoint;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.nn.Module;
import dev.distillery.nn.checkpoint.GenerationFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code distill --checkpoint}: the folder a distillation run saves its training into
 * ({@link DistillCheckpoint}: every network, optimizer, EMA, counter and pair set of the distiller,
 * the step and the generator) every {@code --checkpoint-every} steps and after the last, and that
 * {@code --resume} continues from, so that a run killed at any point and resumed ends bit for bit
 * where an uninterrupted run ends: the same student, samples and metrics. Each save also carries
 * {@value DistillRecord#FILE} (the flags a resume must repeat, and the teacher's fingerprint) and
 * {@value #LOSSES} (the loss history so far, so the resumed run's loss plot is the whole run's).
 *
 * <p>{@link #open} decides, before any long work, what may be done with the folder
 * ({@link CheckpointTarget}), refuses a resume with other flags in one line naming them, and holds
 * the folder's lock until {@link #close}, so that a second {@code distill} or {@code train} on the
 * same folder is refused instead of interleaving its saves.
 */
public final class DistillCheckpoints implements AutoCloseable {
    /** The loss history: one F64 [2, n] tensor (steps, values) per loss, their order in the metadata. */
    static final String LOSSES = "losses.safetensors";
    private static final String ORDER = "order";

    private final Path dir;
    private final int every;
    private final boolean resume;
    private final DistillRecord stored;
    private final GenerationFolder.Hold hold;
    private final boolean created;
    private DistillRecord record;
    private long resumedAfter;

    private DistillCheckpoints(Path dir, int every, boolean resume, DistillRecord stored, DistillRecord record,
                               GenerationFolder.Hold hold, boolean created) {
        this.created = created;
        this.dir = dir;
        this.every = every;
        this.resume = resume;
        this.stored = stored;
        this.record = record;
        this.hold = hold;
    }

    /**
     * The checkpointing of a run of {@code record}'s flags into {@code dir}: decides what the flags
     * may do there, checks a resumed run's flags, and takes the folder's lock; every failure is
     * one line naming the folder and the fix.
     */
    public static DistillCheckpoints open(Path dir, int every, boolean force, boolean resume, DistillRecord record) {
        if (every < 1) {
            throw new CliException("--checkpoint-every must be at least 1, got " + every);
        }
        CheckpointTarget.Action action = CheckpointTarget.decide(dir, force, resume, CheckpointTarget.Kind.DISTILL);
        DistillRecord stored = action == CheckpointTarget.Action.RESUME ? CheckpointTarget.requireSameRun(dir, CheckpointTarget.Kind.DISTILL,
                DistillRecord.FILE, DistillRecord::read, record) : null;
        boolean created = !Files.exists(dir);
        GenerationFolder.Hold hold = CheckpointTarget.hold(dir, CheckpointTarget.Kind.DISTILL);
        return new DistillCheckpoints(dir, every, stored != null, stored, record, hold, created);
    }

    /**
     * Records the fingerprint of the run's teacher network (null: a teacher without one) for the
     * saves and, on a resume, refuses a teacher whose weights are not the saved run's. Called as
     * soon as the teacher is loaded, before the evaluation sets are drawn, and again by
     * {@link #start}.
     */
    public void useTeacher(Module network) {
        String fingerprint = TeacherFingerprint.of(network);
        record = record.withTeacherWeights(fingerprint);
        if (resume && !fingerprint.equals(stored.teacherWeights())) {
            throw new CliException("distill checkpoint " + dir + " was distilled from a teacher with other weights than "
                    + "this run's (" + describeTeacher() + " changed since); resume with that teacher, or pass --force "
                    + "to start again");
        }
    }

    /**
     * Before the first step: on a resume, restores {@code distiller}, {@code rng} and
     * {@code history} from the last save, after checking that the teacher is the saved run's
     * ({@link #useTeacher} on {@code setup.teacherNetwork()}), and returns the steps it has;
     * otherwise 0.
     */
    public long start(Distiller distiller, DistillSetup setup, Rng rng, LossHistory history) {
        useTeacher(setup.teacherNetwork());
        if (!resume) {
            return 0;
        }
        try {
            long step = DistillCheckpoint.resume(dir, distiller, rng).step();
            if (step > record.steps()) {
                throw new IllegalArgumentException("it has " + step + " steps, more than the run's " + record.steps());
            }
            readLosses(DistillCheckpoint.file(dir, LOSSES), history);
            resumedAfter = step;
            return step;
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot resume from distill checkpoint " + dir + ": " + CliException.describe(e)
                    + "; pass --force to start it again");
        }
    }

    private String describeTeacher() {
        return record.teacherCheckpoint() != null ? "--teacher-checkpoint " + record.teacherCheckpoint()
                : "the " + record.teacher() + " teacher";
    }

    /** After step {@code done} of {@code total}: saves every {@code --checkpoint-every} steps and after the last. */
    public void stepped(Distiller distiller, long done, long total, Rng rng, LossHistory history) {
        if (done % every != 0 && done != total) {
            return;
        }
        Map<String, GenerationFolder.FileWriter> extras = new LinkedHashMap<>();
        byte[] json = record.toJson();
        extras.put(DistillRecord.FILE, f -> Files.write(f, json));
        List<LossPlot.Series> series = history.series();
        extras.put(LOSSES, f -> writeLosses(f, series));
        try {
            DistillCheckpoint.save(dir, distiller, done, rng, extras);
        } catch (IOException e) {
            throw new CliException("cannot write distill checkpoint " + dir + " after step " + done + ": "
                    + CliException.describe(e) + "; check the free space and permissions there, or choose another --checkpoint");
        }
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** The steps the resumed save had (0 for a run that started from step 0). */
    public long resumedAfter() {
        return resumedAfter;
    }

    /**
     * Releases the folder's lock; a folder this run created and never saved into (the run failed
     * before its first save, e.g. on its run folder) is removed, so that it does not stand in the
     * way of the next run.
     */
    @Override
    public void close() {
        hold.close();
        try {
            if (created && GenerationFolder.isEmpty(dir)) {
                Files.deleteIfExists(dir.resolve(GenerationFolder.LOCK));
                Files.deleteIfExists(dir);
            }
        } catch (IOException ignored) {
            // an empty folder left behind costs a --force or --resume, nothing more
        }
    }

    private static void writeLosses(Path file, List<LossPlot.Series> series) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<Object> order = new ArrayList<>();
        for (LossPlot.Series s : series) {
            int n = s.steps().length;
            double[] xy = new double[2 * n];
            System.arraycopy(s.steps(), 0, xy, 0, n);
            System.arraycopy(s.values(), 0, xy, n, n);
            tensors.put(s.name(), Tensor.of(DType.F64, xy, 2, n));
            order.add(s.name());
        }
        TensorFiles.save(file, tensors, Map.of(ORDER, Json.write(order).strip()));
    }

    /** Replays the saved history into {@code history}, loss by loss in their first-seen order. */
    private static void readLosses(Path file, LossHistory history) throws IOException {
        Map<String, Tensor> tensors = TensorFiles.load(file);
        if (!(Json.parse(TensorFiles.metadata(file).getOrDefault(ORDER, "")) instanceof List<?> order)) {
            throw new IllegalArgumentException(file + " has no '" + ORDER + "' list of loss names");
        }
        for (Object name : order) {
            Tensor t = tensors.get(String.valueOf(name));
            if (t == null || t.rank() != 2 || t.dim(0) != 2) {
                throw new IllegalArgumentException(file + " lacks the [2, n] series '" + name + "'");
            }
            double[] xy = t.toDoubleArray();
            int n = t.dim(1);
            for (int i = 0; i < n; i++) {
                history.record((long) xy[i], Map.of(String.valueOf(name), xy[n + i]));
            }
        }
    }
}
