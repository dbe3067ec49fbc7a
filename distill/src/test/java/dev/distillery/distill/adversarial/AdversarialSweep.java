package dev.distillery.distill.adversarial;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.random.Rng;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.RecipeSweep;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.distill.matching.Toy25;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/**
 * The budget sweep of docs/RESULTS.md, adversarial section (not a test): trains one adversarial method on
 * 25 Gaussians with a trained teacher checkpoint (the demo's setup: the teacher's network as the
 * student architecture, batch 128, real data from the recipe) and prints modes covered and the HQ
 * fraction at the method's natural step count at each budget of a list, in one run (the budgets
 * are checkpoints of one training run, so the larger ones include the smaller).
 *
 * <pre>
 *   java -cp ... dev.distillery.distill.adversarial.AdversarialSweep teachers/g25 add 500,1000,2000,4000
 * </pre>
 * Hyperparameters other than the recipe's come from system properties (see {@link #make}).
 */
public final class AdversarialSweep {
    private AdversarialSweep() {
    }

    public static void main(String[] args) throws Exception {
        Path teacherDir = Path.of(args[0]);
        String method = args[1];
        int[] budgets = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        long seed = Long.getLong("seed", 0L);
        DistillSetup setup = RecipeSweep.fromCheckpoint(teacherDir, Conditioning.none(), Integer.getInteger("batch", 128),
                seed);
        Distiller d = make(method).apply(setup);
        int natural = method.equals("add") ? 1 : 4;
        Rng rng = new Rng(seed + 1000);
        long t0 = System.nanoTime();
        double trainSeconds = 0;
        int done = 0;
        Map<String, Double> last = Map.of();
        for (int budget : budgets) {
            long s0 = System.nanoTime();
            for (; done < budget; done++) {
                last = d.step(rng);
            }
            trainSeconds += (System.nanoTime() - s0) / 1e9;
            Toy25.Eval e = Toy25.evaluate(d.generator(), natural, seed + 17);
            System.out.printf("[sweep] %s steps=%d natural=%d modes=%d hq=%.3f train_s=%.1f last=%s%n", method, budget,
                    natural, e.modes(), e.hq(), trainSeconds, last);
            if (Boolean.getBoolean("stats")) {
                double[][] x = Toy25.rows(d.generator().sample(dev.distillery.autograd.Tensor.randn(DType.F32,
                        new Rng(5), 8, 2), natural, dev.distillery.autograd.random.RngKey.of(6)));
                System.out.println("[sweep] samples " + Arrays.deepToString(x));
            }
        }
        System.out.printf("[sweep] total %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    static double p(String name, double def) {
        String v = System.getProperty(name);
        return v == null ? def : Double.parseDouble(v);
    }

    static int i(String name, int def) {
        return Integer.getInteger(name, def);
    }

    /** The method with its recipe, overridden by system properties. */
    static Function<DistillSetup, Distiller> make(String method) {
        return switch (method) {
            case "ddgan" -> {
                DenoisingDiffusionGan.Config c = DenoisingDiffusionGan.Config.defaults();
                c = c.withOptimizer(p("lr", c.lr()), p("dlr", c.discriminatorLr()), p("beta1", c.beta1()),
                        p("beta2", c.beta2()));
                c = c.withDiscriminator(p("gamma", c.r1Gamma()), i("dwidth", c.discriminatorWidth()),
                        i("dlayers", c.discriminatorLayers()), i("dfourier", c.discriminatorFourier()));
                c = c.withLatentDim(i("nz", c.latentDim()));
                c = c.withTraining(!Boolean.getBoolean("scratch"), i("dsteps", c.discriminatorSteps()),
                        p("ema", c.emaDecay()));
                DenoisingDiffusionGan.Config fc = c;
                yield s -> new DenoisingDiffusionGan(s, fc);
            }
            case "add" -> {
                AdversarialDiffusionDistillation.Config c = AdversarialDiffusionDistillation.Config.gaussians25();
                c = c.withOptimizer(p("lr", c.lr()), p("dlr", c.discriminatorLr()), p("beta1", c.beta1()),
                        p("beta2", c.beta2()));
                c = c.withDiscriminator(p("gamma", c.r1Gamma()), i("dwidth", c.discriminatorWidth()),
                        i("dlayers", c.discriminatorLayers()), i("dfourier", c.discriminatorFourier()));
                c = c.withDistillation(p("lambda", c.distillWeight()), p("tmin", c.tMin()), p("tmax", c.tMax()));
                c = c.withStudentSteps(i("n", c.studentSteps())).withDiscriminatorSteps(i("dsteps", c.discriminatorSteps()));
                AdversarialDiffusionDistillation.Config fc = c;
                yield s -> new AdversarialDiffusionDistillation(s, fc);
            }
            case "adversarial-every-step" -> {
                AdversarialEveryStep.Config c = AdversarialEveryStep.Config.defaults();
                AdversarialEveryStep.Config fc = new AdversarialEveryStep.Config(c.studentSteps(), p("lr", c.lr()),
                        p("dlr", c.discriminatorLr()), p("beta1", c.beta1()), p("gamma", c.r1Gamma()),
                        p("tdmax", c.discriminatorMaxTime()), i("dhidden", c.headHidden()), i("dsteps", c.discriminatorSteps()),
                        p("ema", c.emaDecay()), 0.0, p("start", c.startTime()));
                yield s -> new AdversarialEveryStep(s, fc);
            }
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
    }
}
