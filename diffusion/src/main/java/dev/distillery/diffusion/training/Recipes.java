package dev.distillery.diffusion.training;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.data.Digits;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.UNetConfig;
import dev.distillery.nn.train.TrainingLoop;
import java.util.List;

/**
 * Teacher recipes: the networks, schedules and hyper-parameters that train the project's teachers
 * on two cores, used by the demo and the distillation experiments. All teachers use the
 * {@link ContinuousCosine} schedule ({@code alpha(t) = cos(pi t / 2)}, so {@code alpha(1) = 0} as
 * progressive distillation needs), v-prediction (finite at alpha = 0, unlike eps), continuous t
 * read by the network with {@code timeScale = 1000}, F32 and an EMA of the weights.
 */
public final class Recipes {
    private Recipes() {}

    /**
     * A trained teacher.
     *
     * @param model    the network the denoiser evaluates (the EMA copy when EMA is on)
     * @param denoiser the teacher as a {@link Denoiser}
     * @param schedule its schedule
     * @param config   its training configuration
     * @param losses   the training loss of every step
     * @param seconds  wall-clock training time
     */
    public record Teacher(Module model, Denoiser denoiser, NoiseSchedule schedule, TrainingConfig config,
                          double[] losses, double seconds) {
    }

    /**
     * What a recipe trains, before training: a fresh network, its data and its configuration.
     * {@link #trainer()} gives the trainer that {@link #train(Plan, TrainingLoop.Progress)} runs,
     * for callers that checkpoint and resume it themselves.
     *
     * @param model  the freshly initialised network
     * @param data   the training data
     * @param config the training configuration (steps, batch, optimizer, EMA, seed)
     */
    public record Plan(Module model, DataSource data, TrainingConfig config) {
        /** A trainer of {@link #model} on the recipes' schedule ({@link ContinuousCosine}). */
        public DiffusionTrainer trainer() {
            return new DiffusionTrainer((ConditionalModel) model, ContinuousCosine.INSTANCE, config);
        }
    }

    /** The 25-Gaussians MLP teacher's plan; class-conditional with label dropout when asked. */
    public static Plan mlp25GaussiansPlan(int steps, long seed, boolean classConditional) {
        if (!classConditional) {
            return new Plan(mlpConfig25Gaussians(seed).build(), gaussians25Data(), mlpTraining25Gaussians(steps, seed));
        }
        TrainingConfig config = mlpTraining25Gaussians(steps, seed).withLabelDropout(GAUSSIANS25_LABEL_DROPOUT);
        MlpConfig net = mlpConfig25Gaussians(seed).withConditioning(Conditioning.none().withClasses(Toy2d.gaussians25Spec().k()));
        return new Plan(net.build(), gaussians25Data(), config);
    }

    /** The digits U-Net teacher's plan ({@link #unetConfigDigits}, {@link #unetTrainingDigits}). */
    public static Plan unetDigitsPlan(int baseChannels, int resBlocks, boolean classConditional, int steps, long seed) {
        return new Plan(unetConfigDigits(baseChannels, resBlocks, classConditional, seed).build(), digitsData(),
                unetTrainingDigits(steps, classConditional, seed));
    }

    // ------------------------------------------------------------------ 25 Gaussians (W2 MLP)

    /**
     * Steps of {@link #mlpTeacher25Gaussians} that reach the mode-coverage bar (all 25 modes, &gt;= 90%
     * high-quality samples under DDIM-50 and DDPM-1000; about a minute on two cores; docs/RESULTS.md).
     */
    public static final int GAUSSIANS25_STEPS = 2500;

    /** Size of the input Fourier embedding of x in {@link #mlpConfig25Gaussians}. */
    public static final int GAUSSIANS25_INPUT_FOURIER_FEATURES = 128;

    /** Frequency std (cycles per data unit) of that embedding: about 1.4 cycles per mode spacing of 2. */
    public static final double GAUSSIANS25_INPUT_FOURIER_SCALE = 0.7;

    /**
     * The W2 MLP (2 -> 256 x3 SiLU -> 2, sinusoidal 128) reading t in [0, 1] with timeScale 1000, F32,
     * plus a fixed random Fourier embedding of x ({@value #GAUSSIANS25_INPUT_FOURIER_FEATURES} features,
     * frequency std {@value #GAUSSIANS25_INPUT_FOURIER_SCALE}; {@link MlpConfig#inputFourierFeatures}), so
     * the first Linear reads 2 + 128 + 128 inputs. Why: the optimal x0 at t ~ 0.1-0.5 is a sharp 2-D
     * staircase (snap to the nearest of the 5 x 5 grid points, jumps of 2 over widths ~ sigma/alpha);
     * a SiLU MLP on the raw 2-D x learns such a function far too slowly (spectral bias: 0/25 modes
     * after 2500 steps), while with the Fourier features it reaches the bar in 2500 steps. The hidden
     * layers and their parameter names are W2's; W2 itself ({@link MlpConfig#w2()}) is unchanged.
     */
    public static MlpConfig mlpConfig25Gaussians(long seed) {
        return new MlpConfig(2, 256, 3, 128, 1000.0, Conditioning.none(), false, DType.F32, seed)
                .withInputFourierFeatures(GAUSSIANS25_INPUT_FOURIER_FEATURES, GAUSSIANS25_INPUT_FOURIER_SCALE);
    }

    /** v-prediction, batch 256, Adam 4e-3 (100 warm-up, cosine decay to 0), EMA 0.995, clip 1. */
    public static TrainingConfig mlpTraining25Gaussians(int steps, long seed) {
        return new TrainingConfig(Prediction.V, null, steps, 256, 4e-3, 100, true, 0.995, 1.0, 0.0, 0, seed);
    }

    /**
     * The 25-Gaussians data ({@link Toy2d#gaussians25Spec()}, unscaled grid, F32). Not normalised on
     * purpose: dividing by the data std (2.83, through {@code ScaledDenoiser}) under the same cosine
     * schedule maps the mode-assignment times t in [0.1, 0.5] to t' in [0.04, 0.22] of the scaled
     * problem, so uniform-t training spends less than half as many steps there and does worse
     * (docs/RESULTS.md).
     */
    public static DataSource gaussians25Data() {
        return DataSource.mixture(Toy2d.gaussians25Spec(), DType.F32);
    }

    /**
     * The class-conditional 25-Gaussians teacher that classifier-free guidance (and guided
     * distillation) needs: {@link #mlpConfig25Gaussians} with a label per mode (25 classes plus the
     * null class) trained by {@link #mlpTraining25Gaussians} with label dropout
     * {@value #GAUSSIANS25_LABEL_DROPOUT}, so the one network is also the unconditional model.
     */
    public static Teacher mlpTeacher25GaussiansConditional(int steps, long seed, TrainingLoop.Progress progress) {
        return train(mlp25GaussiansPlan(steps, seed, true), progress);
    }

    /**
     * Label dropout of the class-conditional 25-Gaussians teacher: the unconditional model is the
     * harder one (it must place all 25 modes), so it gets a larger share than the usual 0.1.
     */
    public static final double GAUSSIANS25_LABEL_DROPOUT = 0.3;

    /** Trains the W2 MLP teacher on 25 Gaussians for {@code steps} steps. */
    public static Teacher mlpTeacher25Gaussians(int steps, long seed) {
        return mlpTeacher25Gaussians(steps, seed, null);
    }

    /** As {@link #mlpTeacher25Gaussians(int, long)}, reporting each step to {@code progress} (may be null). */
    public static Teacher mlpTeacher25Gaussians(int steps, long seed, TrainingLoop.Progress progress) {
        return train(mlp25GaussiansPlan(steps, seed, false), progress);
    }

    // ------------------------------------------------------------------ 8x8 digits (U-Net)

    /**
     * A U-Net for the 8x8 digits reading t in [0, 1] with timeScale 1000, F32: the W3 layout
     * (base 32, mult (1, 2), GroupNorm 8, attention at 4x4) with {@code resBlocks} residual blocks
     * per level (W3: 2) and optionally class-conditional (10 classes plus the null class).
     */
    public static UNetConfig unetConfigDigits(int baseChannels, int resBlocks, boolean classConditional, long seed) {
        Conditioning c = classConditional ? Conditioning.none().withClasses(10) : Conditioning.none();
        return new UNetConfig(1, 1, baseChannels, List.of(1, 2), resBlocks, 128, 128, 8, 1, 1000.0, c, false,
                DType.F32, seed);
    }

    /** v-prediction, batch 128, Adam 1e-3 (200 warm-up, cosine decay), EMA 0.999, clip 1; dropout 0.1 when conditional. */
    public static TrainingConfig unetTrainingDigits(int steps, boolean classConditional, long seed) {
        return new TrainingConfig(Prediction.V, null, steps, 128, 1e-3, 200, true, 0.999, 1.0,
                classConditional ? 0.1 : 0.0, 0, seed);
    }

    /** The digits training split as [B, 1, 8, 8] images in [-1, 1] with labels. */
    public static DataSource digitsData() {
        Digits train = Digits.load().train();
        return DataSource.of(train.images(), train.labels(), new int[] {1, 8, 8}, DType.F32);
    }

    /** Trains the digits U-Net teacher ({@link #unetConfigDigits}, {@link #unetTrainingDigits}). */
    public static Teacher unetTeacherDigits(int baseChannels, int resBlocks, boolean classConditional, int steps,
                                            long seed, TrainingLoop.Progress progress) {
        return train(unetDigitsPlan(baseChannels, resBlocks, classConditional, steps, seed), progress);
    }

    // ------------------------------------------------------------------

    /** Trains {@code model} on {@code data} with the continuous cosine schedule. */
    public static Teacher train(Module model, DataSource data, TrainingConfig config, TrainingLoop.Progress progress) {
        return train(new Plan(model, data, config), progress);
    }

    /** Trains the plan's network from scratch with the continuous cosine schedule. */
    public static Teacher train(Plan plan, TrainingLoop.Progress progress) {
        DiffusionTrainer trainer = plan.trainer();
        long t0 = System.nanoTime();
        trainer.train(plan.data(), new Rng(plan.config().seed()), progress);
        return teacher(trainer, (System.nanoTime() - t0) / 1e9);
    }

    /** The teacher a trainer has trained: its EMA network when EMA is on, else its live one. */
    public static Teacher teacher(DiffusionTrainer trainer, double seconds) {
        Module trained = trainer.emaModel() != null ? trainer.emaModel() : trainer.model();
        return new Teacher(trained, trainer.denoiser(), trainer.schedule(), trainer.config(), trainer.lossHistory(), seconds);
    }
}
