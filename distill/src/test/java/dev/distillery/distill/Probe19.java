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
import dev.distillery.distill.trajectory.ConsistencyDistillation;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.MlpConfig;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** Scratch probe (not committed). */
public final class Probe19 {
    static double d(String k, double v) { return Double.parseDouble(System.getProperty(k, Double.toString(v))); }
    static int i(String k, int v) { return Integer.parseInt(System.getProperty(k, Integer.toString(v))); }

    public static void main(String[] args) throws Exception {
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
                        .withDecayShare(d("decay", 0));
                if (System.getProperty("huber") != null) c = c.withDistance(Distance.pseudoHuber(d("huber", 0.03)));
                dist = new ConsistencyDistillation(setup, c, budget);
            }
            case "aes" -> {
                var c = AdversarialEveryStep.Config.defaults().withTraining(i("dsteps", 1), d("ema", 0), d("decay", 0))
                        .withRates(d("lr", 5e-4), d("dlr", 5e-4)).withDiscriminatorMaxTime(d("tdmax", 0.5));
                dist = new AdversarialEveryStep(setup, c, budget);
            }
            case "add" -> {
                var c = AdversarialDiffusionDistillation.Config.gaussians25().withStudentAveraging(d("ema", 0), d("decay", 0))
                        .withDiscriminatorSteps(i("dsteps", 2));
                dist = new AdversarialDiffusionDistillation(setup, c, budget);
            }
            case "ct" -> {
                var c0 = dev.distillery.distill.trajectory.ConsistencyTraining.Config.defaults();
                var c = new dev.distillery.distill.trajectory.ConsistencyTraining.Config(c0.edm(), i("s0", 2), i("s1", 150),
                        d("mu0", 0.9), System.getProperty("huber") != null ? Distance.pseudoHuber(d("huber", 0.03)) : c0.distance(),
                        d("lr", 1e-3), c0.prediction(), c0.fromTeacher(), c0.renoiseMax());
                dist = new dev.distillery.distill.trajectory.ConsistencyTraining(setup, c, Long.getLong("ctk", budget));
            }
            case "dmd2" -> {
                var c = dev.distillery.distill.matching.DistributionMatchingDistillation.Config.dmd2().withGan(d("gan", 0), d("ganmax", 0))
                        .withDecay(i("decaysteps", budget));
                dist = new dev.distillery.distill.matching.DistributionMatchingDistillation(setup, c);
            }
            default -> throw new IllegalArgumentException(m);
        }
        Tensor noise = Tensor.randn(DType.F32, seed + 4242L, 0L, 2000, 2);
        Rng rng = new Rng(seed + 1000);
        long t0 = System.nanoTime();
        int done = 0;
        for (int ev : evals) {
            for (; done < ev; done++) dist.step(rng);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s %s | %d | %.0f s |", m,
                    System.getProperty("tag", ""), ev, (System.nanoTime() - t0) / 1e9));
            for (int k : new int[] {1, 2, 4}) {
                if (!dist.generator().supports(k)) { row.append(" - |"); continue; }
                Tensor x = dist.generator().sample(noise, k, RngKey.of(seed + 9));
                double[] flat = x.toDoubleArray();
                double[][] rows = new double[x.dim(0)][2];
                for (int j = 0; j < rows.length; j++) { rows[j][0] = flat[2 * j]; rows[j][1] = flat[2 * j + 1]; }
                ModeCoverage.Result r = ModeCoverage.of(rows, Toy2d.gaussians25Spec());
                row.append(String.format(Locale.ROOT, " %d / %.3f |", r.modesCovered(), r.highQualityFraction()));
            }
            System.out.println(row);
        }
    }
}
