package dev.distillery.diffusion.denoise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.diffusion.loss.Losses;
import dev.distillery.diffusion.loss.XLossWeighting;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import dev.distillery.diffusion.schedule.DiscreteSchedules;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Network adapters, time conventions, the mixture teacher against MixtureSpec, and the losses. */
class DenoiserAdaptersTest {

    private static void assertClose(Tensor a, Tensor b, double tol) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], tol, "element " + i);
        }
    }

    @Test
    void networkDenoiserOfAnyKindReproducesTheTeacher() {
        try (var s = Backends.use(Backends.scalar())) {
            DiscreteSchedule disc = DiscreteSchedules.cosine(1000);
            NoiseSchedule sch = disc.asContinuous();
            var teacher = new GaussianMixtureDenoiser(GaussianMixture.of(Toy2d.gaussians8Spec()), sch);
            Tensor z = Tensor.randn(DType.F64, 1L, 0L, 5, 2);
            Tensor t = Tensor.of(new double[] {0.1, 0.3, 0.5, 0.7, 0.9}, 5);
            for (Prediction kind : Prediction.values()) {
                int[] seenSteps = new int[1];
                ModelFunction net = (zz, tModel, c) -> {
                    double[] steps = tModel.toDoubleArray();
                    seenSteps[0] = (int) steps[1];
                    Tensor tc = Tensor.of(new double[] {steps[0] / 1000, steps[1] / 1000, steps[2] / 1000, steps[3] / 1000,
                            steps[4] / 1000}, 5);
                    return teacher.predict(kind, zz, tc, c);
                };
                var d = new NetworkDenoiser(net, kind, TimeConvention.discreteIndex(1000), sch);
                assertClose(teacher.x0(z, t, Condition.NONE), d.x0(z, t, Condition.NONE), 1e-9);
                assertClose(teacher.eps(z, t, Condition.NONE), d.eps(z, t, Condition.NONE), 1e-9);
                assertClose(teacher.v(z, t, Condition.NONE), d.v(z, t, Condition.NONE), 1e-9);
                assertEquals(300, seenSteps[0]);
            }
        }
    }

    @Test
    void timeConventions() {
        NoiseSchedule sch = DiscreteSchedules.linear(1000).asContinuous();
        assertEquals(0.25, TimeConvention.continuous().toModel(sch, 0.25));
        assertEquals(250.0, TimeConvention.discreteIndex(1000).toModel(sch, 0.25));
        assertEquals(sch.logSnr(0.25), TimeConvention.logSnr().toModel(sch, 0.25));
        assertEquals(sch.sigmaEdm(0.25), TimeConvention.edmSigma().toModel(sch, 0.25));
    }

    @Test
    void mixtureLogDensityAtTimeZeroIsTheDataDensity() {
        try (var s = Backends.use(Backends.scalar())) {
            var spec = Toy2d.gaussians25Spec();
            GaussianMixture m = GaussianMixture.of(spec);
            double[][] pts = {{0.01, -0.02}, {2.1, 3.9}, {-4.0, 4.05}, {1.0, 1.0}};
            double[] flat = new double[8];
            for (int i = 0; i < 4; i++) {
                flat[2 * i] = pts[i][0];
                flat[2 * i + 1] = pts[i][1];
            }
            double[] lp = m.logDensity(Tensor.of(flat, 4, 2), Tensor.scalar(1.0, DType.F64), Tensor.scalar(0.0, DType.F64))
                    .toDoubleArray();
            for (int i = 0; i < 4; i++) {
                assertEquals(spec.logDensity(pts[i]), lp[i], 1e-9 * (1 + Math.abs(lp[i])));
            }
        }
    }

    @Test
    void epsLossIsTheSnrWeightedXLossAndDifferentiable() {
        try (var s = Backends.use(Backends.scalar())) {
            double a = 0.6;
            double sg = 0.8;
            Tensor alpha = Tensor.scalar(a, DType.F64);
            Tensor sigma = Tensor.scalar(sg, DType.F64);
            Tensor x = Tensor.randn(DType.F64, 2L, 0L, 4, 3);
            Tensor eps = Tensor.randn(DType.F64, 3L, 0L, 4, 3);
            Tensor z = x.mul(a).add(eps.mul(sg));
            Tensor xHat = x.add(Tensor.randn(DType.F64, 4L, 0L, 4, 3).mul(0.3)).requiresGrad(true);
            double[] snr = {a * a / (sg * sg), a * a / (sg * sg), a * a / (sg * sg), a * a / (sg * sg)};
            Tensor epsLoss = Losses.epsMse(Prediction.X0.toEps(z, xHat, alpha, sigma), eps);
            assertEquals(Losses.xLoss(xHat, x, snr, XLossWeighting.SNR).item(), epsLoss.item(), 1e-12);
            Tensor v = Prediction.velocity(eps, x, alpha, sigma, x);
            assertEquals(Losses.xLoss(xHat, x, snr, XLossWeighting.SNR_PLUS_ONE).item(),
                    Losses.vMse(Prediction.X0.toV(z, xHat, alpha, sigma), v).item(), 1e-12);
            Tensor g = Autograd.grad(List.of(epsLoss), List.of(xHat), null, false).get(0);
            // d/dxhat mean(snr (x_hat - x)^2) = 2 snr (x_hat - x) / n
            assertClose(xHat.detach().sub(x).mul(2 * snr[0] / 12), g, 1e-12);
        }
    }
}
