package dev.distillery.distill;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.diffusion.denoise.NeuralDenoisers;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.metrics.ModeCoverage;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.training.Recipes;
import dev.distillery.nn.Module;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.MlpConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The budget sweeps of docs/RESULTS.md (a tool, not a test): trains a registered method's recipe
 * ({@link Methods#byName}, exactly what {@code distillery demo} runs) from a trained 25-Gaussians
 * teacher checkpoint, once per budget (a fresh run each, since recipes size their learning-rate
 * schedules and rounds by the budget), and prints modes covered and the high-quality fraction at
 * 1, 2 and 4 sampling steps on 2000 fixed noise vectors, and the training time.
 *
 * <pre>
 *   distillery train --dataset 25gaussians --checkpoint teachers/g25     (or --class-conditional for guided)
 *   java @cli/target/jvm.options -cp "distill/target/test-classes:cli/target/lib/*" \
 *       dev.distillery.distill.RecipeSweep teachers/g25 cd 1000,2000,4000
 * </pre>
 */
public final class RecipeSweep {
    private RecipeSweep() {
    }

    /**
     * The demo's setup around a trained 25-Gaussians teacher checkpoint (v-prediction, continuous
     * cosine schedule): the teacher network as denoiser and as the students' architecture, with the
     * conditionings {@code c}, real data from the recipe, F32.
     */
    public static DistillSetup fromCheckpoint(Path teacherDir, Conditioning c, int batch, long seed) throws IOException {
        Module net = Checkpoint.loadModel(teacherDir);
        net.eval();
        net.freeze();
        MlpConfig config = (MlpConfig) Checkpoint.readConfig(teacherDir);
        return new DistillSetup(NeuralDenoisers.of((ConditionalModel) net, Prediction.V, ContinuousCosine.INSTANCE), net,
                config.withConditioning(c), Recipes.gaussians25Data(), new int[] {2}, DType.F32, batch, seed);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: RecipeSweep TEACHER_CHECKPOINT METHOD BUDGET[,BUDGET...]");
            System.exit(2);
        }
        Path teacherDir = Path.of(args[0]);
        DistillMethod method = Methods.byName(args[1]).orElseThrow(
                () -> new IllegalArgumentException("unknown method " + args[1] + "; valid: " + Methods.names()));
        int[] budgets = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        long seed = Long.getLong("seed", 0L);
        DistillSetup setup = fromCheckpoint(teacherDir, method.studentConditioning(
                ((MlpConfig) Checkpoint.readConfig(teacherDir)).conditioning().numClasses()), 128, seed);
        Tensor noise = Tensor.randn(DType.F32, seed + 4242L, 0L, 2000, 2);
        for (int budget : budgets) {
            Distiller d = method.create(setup, budget);
            Rng rng = new Rng(seed + 1000);
            long t0 = System.nanoTime();
            for (int i = 0; i < budget; i++) {
                d.step(rng);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %.0f s |", method.name(), budget,
                    seconds));
            for (int k : new int[] {1, 2, 4}) {
                if (!d.generator().supports(k)) {
                    row.append(" - |");
                    continue;
                }
                Tensor x = d.generator().sample(noise, k, RngKey.of(seed + 9));
                double[] flat = x.toDoubleArray();
                double[][] rows = new double[x.dim(0)][2];
                for (int i = 0; i < rows.length; i++) {
                    rows[i][0] = flat[2 * i];
                    rows[i][1] = flat[2 * i + 1];
                }
                ModeCoverage.Result r = ModeCoverage.of(rows, Toy2d.gaussians25Spec());
                row.append(String.format(Locale.ROOT, " %d / %.2f%s |", r.modesCovered(), r.highQualityFraction(),
                        k == method.naturalSteps() ? " *" : ""));
            }
            System.out.println(row);
        }
    }
}
