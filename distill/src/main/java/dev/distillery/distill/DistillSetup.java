package dev.distillery.distill;

import dev.distillery.autograd.DType;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.ModelConfig;

/**
 * Everything a method needs, shared by all of them.
 *
 * <p>Time convention for every network here (teacher and students): {@code ModelInput.t} is
 * continuous time in [0, 1] of {@code teacher.schedule()} (the configs scale it for their
 * embeddings, e.g. {@code MlpConfig.timeScale = 1000}); a second time {@code s} (CTM) likewise.
 *
 * @param teacher        the frozen teacher every method distils (a trained network or the analytic mixture)
 * @param teacherNetwork the teacher's network when it is one (students may start from its weights), else null
 * @param studentConfig  the architecture of student and auxiliary networks; it must accept the
 *                       conditionings a method needs (e.g. a second time for CTM, w for guided distillation)
 * @param data           real data, for the methods that use it
 * @param sampleShape    the shape of one sample, e.g. {@code [2]} or {@code [1, 8, 8]}
 * @param dtype          the dtype of data and noise
 * @param batchSize      samples per training step
 * @param seed           seed for initialisations made by the method
 */
public record DistillSetup(Denoiser teacher, Module teacherNetwork, ModelConfig studentConfig, DataSource data,
                           int[] sampleShape, DType dtype, int batchSize, long seed) {

    public DistillSetup {
        if (teacher == null || studentConfig == null || sampleShape == null || dtype == null) {
            throw new IllegalArgumentException("DistillSetup: teacher, studentConfig, sampleShape and dtype are required");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("DistillSetup: batchSize must be positive, got " + batchSize);
        }
        sampleShape = sampleShape.clone();
    }

    /** Batch dimensions {@code [n, sampleShape...]}. */
    public int[] batchDims(int n) {
        int[] d = new int[sampleShape.length + 1];
        d[0] = n;
        System.arraycopy(sampleShape, 0, d, 1, sampleShape.length);
        return d;
    }
}
