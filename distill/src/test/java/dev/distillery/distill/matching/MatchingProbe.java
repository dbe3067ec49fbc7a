package dev.distillery.distill.matching;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.random.Rng;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.RecipeSweep;
import dev.distillery.nn.models.Conditioning;

import java.nio.file.Path;

/**
 * A tuning tool, not a test: trains one matching method from a trained 25-Gaussians teacher
 * checkpoint (v-prediction, continuous cosine, as {@code distillery demo --teacher-checkpoint})
 * at batch 128 and prints modes / HQ at 1 step after each of the budgets given. Usage (test
 * classpath): {@code MatchingProbe <teacherDir> <method> <budget>[,<budget>...]} with overrides as
 * system properties {@code probe.lr, probe.fakeLr, probe.fakeUpdates, probe.reg, probe.pairs,
 * probe.pairSteps, probe.beta1, probe.gan, probe.tMin, probe.tMax, probe.decay} (cosine decay length;
 * unset: constant rate), {@code probe.refs} (unbiased-score's N), {@code probe.seed}, {@code probe.batch},
 * and {@code probe.csv} (a path prefix: the 1-step samples are written to {@code <prefix>-<budget>.csv}).
 * Command lines: docs/RESULTS.md, distribution-matching section.
 */
public final class MatchingProbe {
    private MatchingProbe() {
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.getLong("probe.seed", 0L);
        DistillSetup setup = RecipeSweep.fromCheckpoint(Path.of(args[0]), Conditioning.none(),
                Integer.getInteger("probe.batch", 128), seed);
        String method = args[1];
        Distiller d = make(method, setup);
        Rng rng = new Rng(seed + 1000);
        int done = 0;
        double secs = 0;
        for (String b : args[2].split(",")) {
            int budget = Integer.parseInt(b);
            long t0 = System.nanoTime();
            java.util.Map<String, Double> last = java.util.Map.of();
            for (; done < budget; done++) {
                last = d.step(rng);
            }
            secs += (System.nanoTime() - t0) / 1e9;
            Toy25.Eval e = Toy25.evaluate(d.generator(), 1, 99L);
            String csv = System.getProperty("probe.csv");
            if (csv != null) {
                var noise = dev.distillery.autograd.Tensor.randn(DType.F32, new Rng(99L), 2000, 2);
                double[][] x = Toy25.rows(d.generator().sample(noise, 1, dev.distillery.autograd.random.RngKey.of(100L)));
                StringBuilder sb = new StringBuilder();
                for (double[] r : x) {
                    sb.append(r[0]).append(',').append(r[1]).append('\n');
                }
                java.nio.file.Files.writeString(Path.of(csv + "-" + budget + ".csv"), sb);
            }
            System.out.printf("[probe] %s steps=%d secs=%.1f modes=%d hq=%.3f mmd=%.4f min=%d max=%d last=%s%n", method,
                    budget, secs, e.modes(), e.hq(), e.mmd(), e.minCount(), e.maxCount(), last);
        }
    }

    static Distiller make(String method, DistillSetup setup) {
        return switch (method) {
            case "dmd", "dmd2" -> {
                var c = method.equals("dmd") ? DistributionMatchingDistillation.Config.dmd()
                        : DistributionMatchingDistillation.Config.dmd2();
                c = c.withLearningRates(dbl("probe.lr", c.lr()), dbl("probe.fakeLr", c.fakeLr()))
                        .withFakeUpdates(Integer.getInteger("probe.fakeUpdates", c.fakeUpdates()))
                        .withRegression(dbl("probe.reg", c.regressionWeight()),
                                Integer.getInteger("probe.pairs", c.regressionPairs()),
                                Integer.getInteger("probe.pairSteps", c.pairDdimSteps()))
                        .withBeta1(dbl("probe.beta1", c.beta1()))
                        .withGan(dbl("probe.gan", c.ganWeight()))
                        .withTimes(dbl("probe.tMin", c.tMin()), dbl("probe.tMax", c.tMax()))
                        .withDecay(Integer.getInteger("probe.decay", c.decaySteps()));
                System.out.println("[probe] " + c);
                yield new DistributionMatchingDistillation(setup, c);
            }
            case "unbiased-score" -> {
                var c = UnbiasedScoreDistillation.Config.defaults();
                c = new UnbiasedScoreDistillation.Config(dbl("probe.lr", c.lr()),
                        Integer.getInteger("probe.refs", c.referenceSamples()), dbl("probe.tMin", c.tMin()),
                        dbl("probe.tMax", c.tMax()), c.studentSteps(), Integer.getInteger("probe.decay", c.decaySteps()),
                        dbl("probe.start", c.startTime()), dbl("probe.reg", c.regressionWeight()),
                        c.regressionPairs(), c.pairDdimSteps());
                System.out.println("[probe] " + c);
                yield new UnbiasedScoreDistillation(setup, c);
            }
            case "sds" -> new ScoreDistillationSampling(setup, ScoreDistillationSampling.Config.defaults());
            default -> throw new IllegalArgumentException(method);
        };
    }

    private static double dbl(String key, double dflt) {
        String v = System.getProperty(key);
        return v == null ? dflt : Double.parseDouble(v);
    }
}
