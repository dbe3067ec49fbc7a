package dev.distillery.cli.teacher;

import dev.distillery.cli.data.Dataset;
import dev.distillery.diffusion.training.Recipes;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.ModelConfig;
import dev.distillery.nn.models.UNetConfig;

/**
 * The networks of a dataset: the teacher's recipe (an MLP on 25 Gaussians, the W3 U-Net on the
 * digits) and the student's architecture, which is the teacher network's own when there is one.
 */
public final class Architectures {
    private Architectures() {
    }

    /** The dataset's teacher recipe, before training; class-conditional with label dropout when asked. */
    public static Recipes.Plan teacher(Dataset data, boolean classConditional, int steps, long seed) {
        return data == Dataset.DIGITS ? Recipes.unetDigitsPlan(32, 2, classConditional, steps, seed)
                : Recipes.mlp25GaussiansPlan(steps, seed, classConditional);
    }

    /**
     * The student (and auxiliary network) architecture of a run without a teacher network,
     * narrower for {@code --quick}, with the conditionings a method asks for
     * ({@code DistillMethod.studentConditioning()}).
     */
    public static ModelConfig student(Dataset data, boolean quick, long seed, Conditioning conditioning) {
        if (data == Dataset.DIGITS) {
            UNetConfig base = quick ? UNetConfig.tiny() : UNetConfig.w3();
            return new UNetConfig(base.inChannels(), base.outChannels(), base.baseChannels(), base.channelMult(),
                    base.numResBlocks(), base.timeDim(), base.embDim(), base.groups(), base.attentionHeads(), 1000.0,
                    conditioning, false, Dataset.DTYPE, seed);
        }
        // the teacher recipe's network (W2 plus an input Fourier embedding, which lets an MLP learn the
        // sharp noise-to-mode maps) reading t in [0, 1]; narrower for --quick
        return Recipes.mlpConfig25Gaussians(seed).withWidth(quick ? 64 : 256).withConditioning(conditioning);
    }

    /**
     * The student architecture for a run: the teacher network's own (so students can start from its
     * weights) when the teacher is a network, else {@link #student(Dataset, boolean, long, Conditioning)};
     * either way with the conditionings the method needs.
     */
    public static ModelConfig student(Dataset data, boolean quick, long seed, Conditioning conditioning, Teacher teacher) {
        if (teacher.network() instanceof ConditionalModel net) {
            if (net.config() instanceof MlpConfig m) {
                return m.withConditioning(conditioning);
            }
            if (net.config() instanceof UNetConfig u) {
                return u.withConditioning(conditioning);
            }
        }
        return student(data, quick, seed, conditioning);
    }
}
