package dev.distillery.cli.store;


import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.io.TensorFiles;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.report.AtomicFiles;
import dev.distillery.cli.teacher.AnalyticTeacher;
import dev.distillery.cli.teacher.CheckpointTeacher;
import dev.distillery.cli.teacher.Checkpoints;
import dev.distillery.cli.teacher.Teacher;
import dev.distillery.cli.teacher.TeacherTraining;
import dev.distillery.distill.StudentState;
import dev.distillery.nn.Module;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.checkpoint.TrainingState;
import dev.distillery.nn.models.ConditionalModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A distilled student on disk, self-contained:
 * <pre>
 *   student.json            method, dataset, seed, narrow, batch, steps, teacher, networks, counters ({@link StudentRecord})
 *   &lt;network&gt;.safetensors   one per network of the distiller's {@link StudentState} (PyTorch names and layouts)
 *   teacher/                when the teacher is a network: its nn checkpoint plus diffusion.json (prediction kind),
 *                           so that the distiller can be rebuilt without the run that trained it
 * </pre>
 * Every file is written temp-then-rename; {@code student.json} last, so a folder with it is
 * complete. The reading side turns every failure into one line that names the file and the fix.
 */
public final class StudentFolder {
    /** Subfolder of the teacher network's checkpoint. */
    static final String TEACHER = "teacher";
    static final String WEIGHTS = ".safetensors";

    private StudentFolder() {
    }

    /** Writes {@code state} (networks named in {@code record}) and, for a network teacher, the teacher. */
    public static void write(Path dir, StudentRecord record, StudentState state, Teacher teacher) {
        try {
            Files.createDirectories(dir);
            for (String name : record.networks()) {
                TensorFiles.save(dir.resolve(name + WEIGHTS), state.networks().get(name),
                        Map.of("format", "pt", "method", record.method(), "network", name));
            }
            if (record.teacher().network()) {
                Path t = dir.resolve(TEACHER);
                Checkpoint.save(t, ((ConditionalModel) teacher.network()).config(), teacher.network(), null, null,
                        new TrainingState(0, null),
                        Map.of(TeacherTraining.DESCRIPTION, TeacherTraining.description(record.teacher().prediction())));
            }
            AtomicFiles.writeString(dir.resolve(StudentRecord.FILE), record.toJson());
        } catch (IOException e) {
            throw new CliException("cannot write the student to " + dir + ": " + CliException.describe(e)
                    + "; check the free space and permissions there, or choose another --out");
        }
    }

    /** The record of the folder {@code dir}. */
    public static StudentRecord readRecord(Path dir, String flag) {
        if (!Files.isDirectory(dir)) {
            throw new CliException("student " + dir + " (" + flag + ") is not a folder; pass the student folder of a "
                    + "'distillery distill' run (runs/<name>/student)");
        }
        Path file = dir.resolve(StudentRecord.FILE);
        if (!Files.isRegularFile(file)) {
            throw new CliException("student " + dir + " (" + flag + ") lacks " + StudentRecord.FILE + "; pass the student "
                    + "folder of a 'distillery distill' run (runs/<name>/student)");
        }
        try {
            return StudentRecord.read(file);
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage() + "; it is corrupt or from another "
                    + "version: distil the student again with 'distillery distill'");
        }
    }

    /** The weights and counters that {@code record} names. */
    public static StudentState readState(Path dir, StudentRecord record, String flag) {
        Map<String, Map<String, Tensor>> networks = new LinkedHashMap<>();
        for (String name : record.networks()) {
            Path file = dir.resolve(name + WEIGHTS);
            try {
                networks.put(name, TensorFiles.load(file));
            } catch (NoSuchFileException e) {
                throw new CliException("student " + dir + " (" + flag + ") lacks " + file.getFileName() + ", which "
                        + StudentRecord.FILE + " lists; the folder is incomplete: distil the student again");
            } catch (IOException | RuntimeException e) {
                throw new CliException("cannot read " + file + ": " + CliException.describe(e) + "; it is corrupt: distil "
                        + "the student again");
            }
        }
        try {
            return new StudentState(networks, record.counters());
        } catch (IllegalArgumentException e) {
            throw new CliException("cannot read " + dir.resolve(StudentRecord.FILE) + ": " + e.getMessage()
                    + "; it is corrupt or from another version: distil the student again");
        }
    }

    /** The teacher the student was distilled from: the dataset's analytic one, or the stored network. */
    public static Teacher readTeacher(Path dir, StudentRecord record, Dataset data, String flag) {
        if (!record.teacher().network()) {
            return AnalyticTeacher.of(data);
        }
        Path t = dir.resolve(TEACHER);
        ConditionalModel model = Checkpoints.load(t, flag);
        ((Module) model).freeze();
        return new Teacher(Checkpoints.denoiser(model, record.teacher().prediction()), (Module) model,
                record.teacher().origin(), CheckpointTeacher.classes(model), Teacher.NETWORK_START_TIME);
    }
}
