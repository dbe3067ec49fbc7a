package dev.distillery.cli.teacher;

import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.progress.Progress;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.ConditionalModel;

import java.nio.file.Path;

/** A trained teacher network read from an nn checkpoint; it must predict {@code prediction}. */
public record CheckpointTeacher(Path dir, Prediction prediction) implements TeacherSource {

    @Override
    public Teacher obtain(Dataset dataset, long seed, Progress progress) {
        ConditionalModel model = Checkpoints.load(dir, "--teacher-checkpoint");
        ((Module) model).freeze();
        return new Teacher(Checkpoints.denoiser(model, prediction), (Module) model,
                "network from checkpoint " + dir + " (" + model.config().kind() + ", predicts "
                        + prediction.name().toLowerCase(java.util.Locale.ROOT) + ")", classes(model), Teacher.NETWORK_START_TIME);
    }

    public static int classes(ConditionalModel model) {
        return model.conditioning().numClasses();
    }
}
