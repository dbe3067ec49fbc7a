package example.sampler;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.NeuralDenoisers;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.sampling.DdimSampler;
import dev.distillery.diffusion.sampling.DpmSolverPlusPlus2M;
import dev.distillery.diffusion.sampling.EdmView;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.schedule.EdmConfig;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.models.ConditionalModel;
import java.nio.file.Path;

/**
 * Loads a teacher that {@code distillery train --checkpoint DIR} wrote (a v-predicting network on
 * the continuous cosine schedule) and samples it with DDIM or DPM-Solver++(2M).
 * Usage: {@code Main DIR [ddim|dpm] [steps] [count]}; prints one sample per line.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        var net = (ConditionalModel) Checkpoint.loadModel(Path.of(args[0])).eval();
        String sampler = args.length > 1 ? args[1] : "dpm";
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        // Samplers see only the Denoiser interface: any x-estimate E[x | z_t] plugs in here.
        Denoiser teacher = new Clipped(NeuralDenoisers.of(net, Prediction.V, ContinuousCosine.INSTANCE), 5.0);
        Tensor noise = Tensor.randn(DType.F32, 0L, 0L, count, 2);   // key 0, offset 0
        Tensor x = switch (sampler) {
            case "ddim" -> DdimSampler.sample(teacher, noise, uniformTimes(steps), 0.0, Condition.NONE, null, null, null);
            case "dpm" -> {
                double[] sigmas = EdmView.karrasWithZero(steps, EdmConfig.DEFAULTS);
                yield DpmSolverPlusPlus2M.sample(teacher, noise.mul(sigmas[0]), sigmas, Condition.NONE, null, null);
            }
            default -> throw new IllegalArgumentException("sampler: ddim or dpm, not " + sampler);
        };
        double[] v = x.toDoubleArray();
        for (int i = 0; i < count; i++) {
            System.out.printf("%.4f,%.4f%n", v[2 * i], v[2 * i + 1]);
        }
    }

    /** 1, (n-1)/n, ..., 0: DDIM's grid of n steps in continuous time. */
    static double[] uniformTimes(int n) {
        double[] t = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            t[i] = (double) (n - i) / n;
        }
        return t;
    }

    /**
     * The extension point: a Denoiser of one's own, here one that clips another's x-estimate to
     * [-limit, limit] (the "clip x0" of DDPM implementations), usable by every sampler and distiller.
     */
    record Clipped(Denoiser inner, double limit) implements Denoiser {
        @Override
        public NoiseSchedule schedule() {
            return inner.schedule();
        }

        @Override
        public Tensor x0(Tensor z, Tensor t, Condition c) {
            return inner.x0(z, t, c).clamp(-limit, limit);
        }
    }
}
