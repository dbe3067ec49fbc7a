package dev.distillery.diffusion.training;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.NeuralDenoisers;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.ModelConfig;
import dev.distillery.nn.optim.Adam;
import dev.distillery.nn.optim.Ema;
import dev.distillery.nn.optim.GradClip;
import dev.distillery.nn.optim.LearningRate;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.checkpoint.TrainingState;
import dev.distillery.nn.train.NonFiniteLossException;
import dev.distillery.nn.train.TrainingLoop;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a network as a denoiser (Ho et al. 2020, Algorithm 1; MATH.md sections 1-3). One step:
 * <pre>
 *   x ~ data,  t ~ U(0, 1) (or U{1..T}/T),  eps ~ N(0, I),  z_t = alpha(t) x + sigma(t) eps
 *   loss = mean_b  w(snr_b) / w_native(snr_b) * mean_d (out - target)^2
 * </pre>
 * where out is the network output at {@code (z_t, t)} and target is eps, x or
 * {@code v = alpha eps - sigma x} ({@link TrainingConfig#prediction}). The native MSE of each kind is
 * an x-loss with weight {@code w_native}: snr (eps), 1 (x), snr + 1 (v) (I7); a
 * {@link TrainingConfig#weighting} w reweights it per sample, so every combination computes the same
 * objective {@code w(snr) ||x - x_hat||^2} without dividing by alpha or sigma in the graph.
 * Then Adam (with the configured warm-up/decay), optional gradient clipping, optional EMA.
 *
 * <p>The network reads continuous t in [0, 1] ({@link NeuralDenoisers}). Class-conditional models
 * (a config record with a {@link Conditioning} component with classes) get the batch's labels, each
 * replaced by {@link Conditioning#NULL_LABEL} with probability {@link TrainingConfig#labelDropout};
 * unconditional models ignore labels.
 *
 * <p>Randomness per step, in this order from the given {@link Rng}: the B times, then (when
 * dropout is on) B dropout draws, then the noise; {@link #train} draws each batch from the same
 * generator before the step. The same seed gives bit-identical parameters (the SIMD backend is
 * deterministic for any thread count).
 */
public final class DiffusionTrainer {
    private final ConditionalModel net;
    private final Module module;
    private final NoiseSchedule schedule;
    private final TrainingConfig config;
    private final Adam optimizer;
    private final Ema ema;
    private final int numClasses;
    private final DType dtype;
    private double[] history = new double[0];
    private int recorded;

    /** @param model a {@link ConditionalModel} that is also a {@link Module} (MlpDenoiser, UNet, ...) */
    public DiffusionTrainer(ConditionalModel model, NoiseSchedule schedule, TrainingConfig config) {
        this.net = Objects.requireNonNull(model, "model");
        if (!(model instanceof Module m)) {
            throw new IllegalArgumentException("DiffusionTrainer: the model must be a Module, got " + model.getClass());
        }
        this.module = m;
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.config = Objects.requireNonNull(config, "config");
        Map<String, Tensor> params = module.namedParameters();
        if (params.isEmpty()) {
            throw new IllegalArgumentException("DiffusionTrainer: the model has no parameters");
        }
        this.dtype = params.values().iterator().next().dtype();
        LearningRate lr = config.cosineDecay() && config.steps() > config.warmupSteps()
                ? LearningRate.cosine(config.learningRate(), config.warmupSteps(), config.steps(), 0.0)
                : LearningRate.linearWarmup(config.learningRate(), config.warmupSteps());
        this.optimizer = new Adam(params, lr, 0.9, 0.999, 1e-8, 0.0, false);
        this.ema = config.emaDecay() > 0 ? new Ema(module, config.emaDecay(), true) : null;
        this.numClasses = numClasses(model.config());
        module.train();
    }

    /**
     * One training step on {@code batch}: draws t, eps (and label dropout) from {@code rng}, takes an
     * Adam step and updates the EMA. Returns {@code loss}, {@code lr}, and {@code grad_norm} (with
     * clipping) and {@code label_dropped} (share of labels dropped, with dropout).
     */
    public Map<String, Double> step(DataSource.Batch batch, Rng rng) {
        Tensor x = batch.x().to(dtype);
        int b = x.dim(0);
        double[] t = new double[b];
        double[] alpha = new double[b];
        double[] sigma = new double[b];
        double[] factor = new double[b];
        for (int i = 0; i < b; i++) {
            t[i] = drawTime(rng);
            alpha[i] = schedule.alpha(t[i]);
            sigma[i] = schedule.sigma(t[i]);
            factor[i] = weightFactor(alpha[i], sigma[i]);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        int[] labels = labels(batch.labels(), b, rng, out);
        Tensor eps = Tensor.randn(dtype, rng, x.shape().dims());
        Tensor a = PerSample.of(alpha, x);
        Tensor s = PerSample.of(sigma, x);
        Tensor z = x.mul(a).add(eps.mul(s));
        Tensor target = switch (config.prediction()) {
            case EPS -> eps;
            case X0 -> x;
            case V -> eps.mul(a).sub(x.mul(s));
        };
        Tensor tt = Tensor.of(dtype, t, b);
        Tensor pred = net.forward(NeuralDenoisers.input(z, tt, null).withLabels(labels));
        Tensor err = pred.sub(target).square();
        Tensor loss = config.weighting() == null ? err.mean() : err.mul(PerSample.of(factor, x)).mean();
        loss.backward();
        if (config.gradClip() > 0) {
            out.put("grad_norm", GradClip.clipGradNorm(module.parameters(), config.gradClip()));
        }
        double lr = optimizer.step();
        optimizer.zeroGrad();
        if (ema != null) {
            ema.update(module);
        }
        double value = loss.item();
        record(value);
        out.put("loss", value);
        out.put("lr", lr);
        return out;
    }

    /**
     * {@link TrainingConfig#steps} steps on batches of {@link TrainingConfig#batchSize} from
     * {@code data}, all randomness from {@code rng} (a new {@code Rng(config.seed())} when null).
     * Returns the last step's values; stops with {@code NonFiniteLossException} on a NaN loss.
     */
    public Map<String, Double> train(DataSource data, Rng rng, TrainingLoop.Progress progress) {
        return train(data, rng == null ? new Rng(config.seed()) : rng, progress, 0, 0, null);
    }

    /**
     * Continues training from {@code startStep} steps done (0, or what {@link #resume} returned)
     * to {@link TrainingConfig#steps}, all randomness from {@code rng}, calling
     * {@code checkpointer} every {@code checkpointEvery} steps and after the last (never when
     * {@code checkpointEvery} is 0). Returns the last step's values.
     *
     * @throws NonFiniteLossException at the first NaN or infinite loss
     */
    public Map<String, Double> train(DataSource data, Rng rng, TrainingLoop.Progress progress, long startStep,
                                     int checkpointEvery, TrainingLoop.Checkpointer checkpointer) {
        Objects.requireNonNull(rng, "rng");
        TrainingLoop loop = new TrainingLoop(new TrainingLoop.Options(config.steps(), 0, checkpointEvery),
                k -> step(data.batch(config.batchSize(), rng), rng));
        if (progress != null) {
            loop.onProgress(progress);
        }
        if (checkpointer != null) {
            loop.checkpointWith(checkpointer);
        }
        return loop.run(startStep);
    }

    /**
     * Writes everything a resumed run needs after {@code stepsDone} steps as a checkpoint of
     * {@code dir} ({@link Checkpoint}): the live network, the optimizer, the EMA and the state of
     * {@code rng}, with {@code extraFiles} beside them.
     */
    public void save(Path dir, long stepsDone, Rng rng, Map<String, byte[]> extraFiles) throws IOException {
        Checkpoint.save(dir, net.config(), module, optimizer, ema, new TrainingState(stepsDone, rng.state()), extraFiles);
    }

    /**
     * Restores what {@link #save} wrote into this trainer and {@code rng}, and returns the steps
     * done; continuing with {@link #train(DataSource, Rng, TrainingLoop.Progress, long, int,
     * TrainingLoop.Checkpointer)} from there gives bit for bit what an uninterrupted run gives.
     *
     * @throws IllegalArgumentException if the checkpoint does not fit this trainer's network
     */
    public long resume(Path dir, Rng rng) throws IOException {
        TrainingState state = Checkpoint.resume(dir, module, optimizer, ema);
        if (state.rng() == null) {
            throw new IllegalArgumentException("checkpoint " + dir + " has no generator state to resume from");
        }
        rng.restore(state.rng());
        return state.step();
    }

    /** The denoiser of the EMA model when EMA is on, else of the live model. */
    public Denoiser denoiser() {
        Module m = ema != null ? ema.model() : module;
        return NeuralDenoisers.of((ConditionalModel) m, config.prediction(), schedule);
    }

    /** The trained (live) model. */
    public Module model() {
        return module;
    }

    /** The EMA copy (frozen, evaluation mode), or null when EMA is off. */
    public Module emaModel() {
        return ema == null ? null : ema.model();
    }

    public TrainingConfig config() {
        return config;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /** The loss of every step taken so far, in order. */
    public double[] lossHistory() {
        return Arrays.copyOf(history, recorded);
    }

    // ------------------------------------------------------------------------------------------

    private double drawTime(Rng rng) {
        if (config.timesteps() > 0) {
            return (1 + rng.nextInt(config.timesteps())) / (double) config.timesteps();
        }
        double u = rng.nextDouble();
        while (u == 0.0) {
            u = rng.nextDouble();
        }
        return u;
    }

    /** {@code w(snr) / w_native(snr)}: 1 without a weighting; exactly 1 where w is the native weight. */
    private double weightFactor(double alpha, double sigma) {
        if (config.weighting() == null) {
            return 1.0;
        }
        double snr = alpha * alpha / (sigma * sigma);
        double w = config.weighting().weight(snr);
        double nativeWeight = switch (config.prediction()) {
            case EPS -> snr;
            case X0 -> 1.0;
            case V -> snr + 1.0;
        };
        return w == nativeWeight ? 1.0 : w / nativeWeight;
    }

    private int[] labels(int[] batchLabels, int b, Rng rng, Map<String, Double> out) {
        if (numClasses == 0) {
            return null;
        }
        int[] y = batchLabels == null ? nullLabels(b) : batchLabels.clone();
        if (y.length != b) {
            throw new IllegalArgumentException("DiffusionTrainer: " + y.length + " labels for a batch of " + b);
        }
        if (config.labelDropout() > 0) {
            int dropped = 0;
            for (int i = 0; i < b; i++) {
                if (rng.nextDouble() < config.labelDropout()) {
                    y[i] = Conditioning.NULL_LABEL;
                    dropped++;
                }
            }
            out.put("label_dropped", dropped / (double) b);
        }
        return y;
    }

    private static int[] nullLabels(int b) {
        int[] y = new int[b];
        Arrays.fill(y, Conditioning.NULL_LABEL);
        return y;
    }

    private void record(double v) {
        if (recorded == history.length) {
            history = Arrays.copyOf(history, Math.max(16, 2 * history.length));
        }
        history[recorded++] = v;
    }

    /** Classes of a config record's {@link Conditioning} component; 0 when it has none. */
    static int numClasses(ModelConfig cfg) {
        if (cfg instanceof Record) {
            for (RecordComponent rc : cfg.getClass().getRecordComponents()) {
                if (rc.getType() == Conditioning.class) {
                    try {
                        Conditioning c = (Conditioning) rc.getAccessor().invoke(cfg);
                        return c == null ? 0 : c.numClasses();
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot read " + rc.getName() + " of " + cfg, e);
                    }
                }
            }
        }
        return 0;
    }
}
