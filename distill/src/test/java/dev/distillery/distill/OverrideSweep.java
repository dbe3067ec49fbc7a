package dev.distillery.distill;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.diffusion.metrics.ModeCoverage;
import dev.distillery.diffusion.schedule.EdmConfig;
import dev.distillery.distill.adversarial.AdversarialDiffusionDistillation;
import dev.distillery.distill.adversarial.AdversarialEveryStep;
import dev.distillery.distill.core.Distance;
import dev.distillery.distill.matching.DistributionMatchingDistillation;
import dev.distillery.distill.matching.UnbiasedScoreDistillation;
import dev.distillery.distill.trajectory.ConsistencyDistillation;
import dev.distillery.distill.trajectory.ConsistencyTraining;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.MlpConfig;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The recipe ablations of docs/RESULTS.md (a tool, not a test): trains one method from a trained
 * 25-Gaussians teacher checkpoint with its recipe's settings overridden by system properties, and
 * prints modes covered and the high-quality fraction at 1, 2 and 4 sampling steps at each
 * evaluation point of ONE run (the last point is the run's length, which sizes learning-rate
 * decays and curricula). Same setup, noise and seeds as {@link RecipeSweep}.
 *
 * <pre>
 *   java @cli/target/jvm.options -Ddistillery.threads=1 [-Dkey=value ...] \
 *       -cp "distill/target/test-classes:cli/target/lib/*" dev.distillery.distill.OverrideSweep \
 *       teachers/g25 METHOD STEPS[,STEPS...]
 * </pre>
 * Methods and their properties (defaults: the recipe's):
 * <ul>
 *   <li>{@code cd}: {@code smax} (sigma_max), {@code sdata}, {@code n}, {@code mu} (target EMA), {@code lr},
 *       {@code decay} (final share of the run with a decaying rate), {@code huber} (pseudo-Huber c; l2 without);</li>
 *   <li>{@code ct}: {@code s0}, {@code s1} (curriculum), {@code mu0}, {@code lr}, {@code huber},
 *       {@code ctk} (curriculum length, default the run's);</li>
 *   <li>{@code aes} (adversarial-every-step): {@code dsteps}, {@code ema}, {@code decay}, {@code lr}, {@code dlr}, {@code tdmax},
 *       {@code start} (the first step's time);</li>
 *   <li>{@code add}: {@code ema}, {@code decay}, {@code dsteps}, {@code start};</li>
 *   <li>{@code unbiased} (unbiased-score): {@code lr}, {@code n} (reference samples), {@code tmin}, {@code tmax},
 *       {@code decaysteps}, {@code start}, {@code reg} (lambda_reg), {@code pairs};</li>
 *   <li>{@code dmd2}: {@code gan} (lambda_GAN), {@code ganmax} (instance noise), {@code decaysteps}, {@code start}.</li>
 * </ul>
 */
public final class OverrideSweep {
    private OverrideSweep() {
    }

    private static double d(String k, double v) {
        return Double.parseDouble(System.getProperty(k, Double.toString(v)));
    }

    private static int i(String k, int v) {
        return Integer.parseInt(System.getProperty(k, Integer.toString(v)));
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: OverrideSweep TEACHER_CHECKPOINT METHOD STEPS[,STEPS...]  (overrides: -Dkey=value)");
            System.exit(2);
        }
        Path teacherDir = Path.of(args[0]);
        String m = args[1];
        int[] evals = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int budget = evals[evals.length - 1];
        long seed = Long.getLong("seed", 0L);
        DistillSetup setup = RecipeSweep.fromCheckpoint(teacherDir, Conditioning.none(), 128, seed);
        Distiller dist;
        switch (m) {
            case "cd" -> {
                var c = ConsistencyDistillation.Config.defaults();
                EdmConfig e = c.edm();
                c = c.withEdm(new EdmConfig(e.sigmaMin(), d("smax", e.sigmaMax()), d("sdata", e.sigmaData()), e.rho()))
                        .withN(i("n", c.n())).withEmaDecay(d("mu", c.emaDecay())).withLearningRate(d("lr", c.learningRate()))
                        .withDecayShare(d("decay", c.decayShare()));
                if (System.getProperty("huber") != null) {
                    c = c.withDistance(Distance.pseudoHuber(d("huber", 0.03)));
                }
                dist = new ConsistencyDistillation(setup, c, budget);
            }
            case "aes" -> {
                var d0 = AdversarialEveryStep.Config.defaults();
                var c = d0.withTraining(i("dsteps", d0.discriminatorSteps()), d("ema", d0.emaDecay()), d("decay", d0.decayShare()))
                        .withRates(d("lr", 5e-4), d("dlr", 5e-4)).withDiscriminatorMaxTime(d("tdmax", 0.5))
                        .withStartTime(d("start", d0.startTime()));
                dist = new AdversarialEveryStep(setup, c, budget);
            }
            case "add" -> {
                var c = AdversarialDiffusionDistillation.Config.gaussians25().withStudentAveraging(d("ema", 0), d("decay", 0))
                        .withDiscriminatorSteps(i("dsteps", 2));
                c = c.withStartTime(d("start", c.startTime()));
                dist = new AdversarialDiffusionDistillation(setup, c, budget);
            }
            case "ct" -> {
                var c0 = ConsistencyTraining.Config.defaults();
                var c = new ConsistencyTraining.Config(c0.edm(), i("s0", 2), i("s1", 150),
                        d("mu0", 0.9), System.getProperty("huber") != null ? Distance.pseudoHuber(d("huber", 0.03)) : c0.distance(),
                        d("lr", 1e-3), c0.prediction(), c0.fromTeacher(), c0.renoiseMax(), i("ref", c0.referenceData()),
                        d("decay", c0.decayShare()));
                dist = new ConsistencyTraining(setup, c, Long.getLong("ctk", budget));
            }
            case "unbiased" -> {
                var d0 = UnbiasedScoreDistillation.Config.defaults();
                var c = new UnbiasedScoreDistillation.Config(d("lr", d0.lr()), i("n", d0.referenceSamples()),
                        d("tmin", d0.tMin()), d("tmax", d0.tMax()), d0.studentSteps(), i("decaysteps", budget),
                        d("start", d0.startTime()), d("reg", d0.regressionWeight()), i("pairs", d0.regressionPairs()),
                        d0.pairDdimSteps());
                dist = new UnbiasedScoreDistillation(setup, c);
            }
            case "dmd2" -> {
                var d0 = DistributionMatchingDistillation.Config.dmd2();
                var c = d0.withGan(d("gan", d0.ganWeight()), d("ganmax", d0.ganMaxTime()))
                        .withDecay(i("decaysteps", budget)).withStartTime(d("start", d0.startTime()));
                dist = new DistributionMatchingDistillation(setup, c);
            }
            default -> throw new IllegalArgumentException("unknown method " + m + "; use cd, ct, aes, add, unbiased or dmd2");
        }
        Tensor noise = Tensor.randn(DType.F32, seed + 4242L, 0L, 2000, 2);
        Rng rng = new Rng(seed + 1000);
        long t0 = System.nanoTime();
        int done = 0;
        for (int ev : evals) {
            for (; done < ev; done++) {
                dist.step(rng);
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s %s | %d | %.0f s |", m,
                    System.getProperty("tag", ""), ev, (System.nanoTime() - t0) / 1e9));
            for (int k : new int[] {1, 2, 4}) {
                if (!dist.generator().supports(k)) {
                    row.append(" - |");
                    continue;
                }
                Tensor x = dist.generator().sample(noise, k, RngKey.of(seed + 9));
                double[] flat = x.toDoubleArray();
                double[][] rows = new double[x.dim(0)][2];
                for (int j = 0; j < rows.length; j++) {
                    rows[j][0] = flat[2 * j];
                    rows[j][1] = flat[2 * j + 1];
                }
                ModeCoverage.Result r = ModeCoverage.of(rows, Toy2d.gaussians25Spec());
                row.append(String.format(Locale.ROOT, " %d / %.3f |", r.modesCovered(), r.highQualityFraction()));
                if (Boolean.getBoolean("counts")) {
                    // per-mode counts within the HQ radius, row-major over the 5 x 5 grid (a missed mode stands out)
                    row.append(" ").append(Arrays.toString(r.counts())).append(" |");
                }
            }
            System.out.println(row);
        }
    }
}
