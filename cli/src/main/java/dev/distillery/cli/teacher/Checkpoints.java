package dev.distillery.cli.teacher;


import dev.distillery.autograd.Tensor;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.NeuralDenoisers;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.nn.Module;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.models.ConditionalModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reading nn checkpoints ({@link Checkpoint}) on behalf of a command: every way it can fail (no
 * folder, a missing file, bad JSON, an unknown model kind, weights that do not fit the config)
 * becomes one line that names the folder, the problem and the fix.
 */
public final class Checkpoints {
    private Checkpoints() {
    }

    /** The model stored in {@code dir}, with its weights, in eval mode. */
    public static ConditionalModel load(Path dir, String flag) {
        if (!Files.isDirectory(dir)) {
            throw new CliException("checkpoint " + dir + " (" + flag + ") is not a folder; pass the folder that holds "
                    + Checkpoint.CONFIG + " and " + Checkpoint.MODEL);
        }
        Module m;
        try {
            m = Checkpoint.loadModel(dir);
        } catch (NoSuchFileException e) {
            throw new CliException("checkpoint " + dir + " (" + flag + ") lacks " + Path.of(e.getFile()).getFileName()
                    + "; pass a folder written by 'distillery train' or nn's Checkpoint.save");
        } catch (IOException | RuntimeException e) {
            throw new CliException("checkpoint " + dir + " (" + flag + ") cannot be read: " + CliException.describe(e)
                    + "; it may be corrupt or from another version: write it again");
        }
        if (!(m instanceof ConditionalModel model)) {
            throw new CliException("checkpoint " + dir + " (" + flag + ") holds a " + m.getClass().getSimpleName()
                    + ", not a denoising network; pass a denoiser checkpoint (mlp_denoiser or unet)");
        }
        requireFiniteWeights(m, dir, flag);
        m.eval();
        return model;
    }

    /**
     * Refuses weights with a NaN or infinity (a diverged or corrupted training run): once, at
     * load, rather than letting every sample and every distillation step turn NaN.
     */
    private static void requireFiniteWeights(Module m, Path dir, String flag) {
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            double[] values = e.getValue().toDoubleArray();
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new CliException("checkpoint " + dir + " (" + flag + ") has non-finite weights: " + values[i]
                            + " in '" + e.getKey() + "' at index " + i + " (its training diverged or the file is "
                            + "corrupt); train it again");
                }
            }
        }
    }

    /**
     * A network as a {@link Denoiser}: it reads continuous t in [0, 1] (its config scales t for
     * its embedding, the convention of every network here) and the optional conditionings.
     */
    public static Denoiser denoiser(ConditionalModel model, Prediction kind) {
        return NeuralDenoisers.of(model, kind, Dataset.SCHEDULE);
    }
}
