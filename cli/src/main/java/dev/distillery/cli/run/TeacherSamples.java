package dev.distillery.cli.run;

import dev.distillery.autograd.Tensor;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.data.Rows;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.teacher.AnalyticTeacher;
import dev.distillery.cli.teacher.BundledTeacher;
import dev.distillery.cli.teacher.Checkpoints;
import dev.distillery.cli.teacher.Predictions;
import dev.distillery.cli.teacher.Teacher;
import dev.distillery.cli.teacher.TeacherTraining;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.ConditionalModel;

import java.nio.file.Path;

/**
 * {@code sample} of a diffusion model rather than a student: deterministic DDIM (eta = 0) on the
 * noise of a seed, of the network of a checkpoint or, without one, of the dataset's teacher (the
 * bundled U-Net on the digits, the analytic mixture on 25-Gaussians).
 */
public final class TeacherSamples {
    private TeacherSamples() {
    }

    /**
     * {@code count} samples of {@code steps} DDIM steps from the noise of {@code seed}; the network of
     * {@code checkpoint} (null: the dataset's teacher) predicts {@code prediction} (null: as recorded
     * by {@code train}). Every failure is a one-line {@link CliException} naming the flag to change.
     */
    public static double[][] ddim(Dataset data, Path checkpoint, String prediction, int steps, int count, long seed) {
        Teacher teacher = checkpoint != null ? network(checkpoint, prediction)
                : data == Dataset.DIGITS ? BundledTeacher.load() : AnalyticTeacher.of(data);
        Tensor noise = data.noise(count, seed);
        double[][] rows;
        try {
            rows = Rows.of(teacher.ddim(noise, steps));
        } catch (IllegalArgumentException e) {
            throw new CliException("the network of " + checkpoint + " does not fit --dataset " + data.key() + ": "
                    + e.getMessage() + "; pass the dataset it was trained on");
        }
        String nonFinite = NonFinite.inSamples(rows);
        if (nonFinite != null) {
            throw new CliException("sample: " + steps + " DDIM steps of " + teacher.description() + " gave " + nonFinite
                    + "; its weights are not finite: train the checkpoint again");
        }
        return rows;
    }

    /** The network of {@code --checkpoint}, unconditional, predicting {@code --prediction} or as recorded. */
    private static Teacher network(Path checkpoint, String prediction) {
        ConditionalModel model = Checkpoints.load(checkpoint, "--checkpoint");
        Prediction kind = prediction != null ? Predictions.parse(prediction, "--prediction")
                : TeacherTraining.recordedPrediction(checkpoint);
        if (kind == null) {
            throw new CliException("checkpoint " + checkpoint + " does not record what its network predicts; "
                    + "pass --prediction eps|x0|v");
        }
        return new Teacher(Checkpoints.denoiser(model, kind), (Module) model, "checkpoint " + checkpoint, 0,
                Teacher.NETWORK_START_TIME);
    }
}
