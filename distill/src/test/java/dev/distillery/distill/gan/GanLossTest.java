package dev.distillery.distill.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.Tensor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The four objectives at hand-computed logits, and their stability at extreme logits. */
class GanLossTest {
    private static final double TOL = 1e-15;
    private Backends.Scope scope;
    private Tensor real;
    private Tensor fake;

    @BeforeEach
    void scalar() {
        scope = Backends.use(Backends.scalar());
        real = Tensor.of(new double[] {2.0, -1.0}, 2);
        fake = Tensor.of(new double[] {0.5, -3.0}, 2);
    }

    @AfterEach
    void restore() {
        scope.close();
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    @Test
    void minimaxDiscriminatorLossIsMinusLogDMinusLogOneMinusD() {
        // -mean log sigmoid(r) - mean log(1 - sigmoid(f)) = mean softplus(-r) + mean softplus(f)
        double want = (softplus(-2.0) + softplus(1.0)) / 2 + (softplus(0.5) + softplus(-3.0)) / 2;
        assertEquals(want, GanLoss.MINIMAX.discriminatorLoss(real, fake).item(), TOL);
        assertEquals(want, GanLoss.NON_SATURATING.discriminatorLoss(real, fake).item(), TOL);
        Tensor zero = Tensor.of(new double[] {0.0}, 1);
        assertEquals(2 * Math.log(2), GanLoss.MINIMAX.discriminatorLoss(zero, zero).item(), TOL);
    }

    @Test
    void generatorLossesAtKnownLogits() {
        // minimax G minimizes mean log(1 - D(G)) = -mean softplus(f)
        assertEquals(-(softplus(0.5) + softplus(-3.0)) / 2, GanLoss.MINIMAX.generatorLoss(fake).item(), TOL);
        // non-saturating: -mean log D(G) = mean softplus(-f)
        assertEquals((softplus(-0.5) + softplus(3.0)) / 2, GanLoss.NON_SATURATING.generatorLoss(fake).item(), TOL);
        assertEquals(1.25, GanLoss.HINGE.generatorLoss(fake).item(), 0.0);
        assertEquals(1.25, GanLoss.WASSERSTEIN.generatorLoss(fake).item(), 0.0);
    }

    @Test
    void hingeAndWassersteinDiscriminatorLossesAtKnownLogits() {
        // hinge: mean(max(0, 1 - [2, -1])) + mean(max(0, 1 + [0.5, -3])) = (0 + 2)/2 + (1.5 + 0)/2
        assertEquals(1.75, GanLoss.HINGE.discriminatorLoss(real, fake).item(), 0.0);
        // critic: mean f - mean r = -1.25 - 0.5
        assertEquals(-1.75, GanLoss.WASSERSTEIN.discriminatorLoss(real, fake).item(), 0.0);
    }

    @Test
    void logarithmicLossesStayFiniteAndExactAtExtremeLogits() {
        Tensor big = Tensor.of(new double[] {1000.0, -1000.0}, 2);
        for (GanLoss l : GanLoss.values()) {
            assertTrue(Double.isFinite(l.discriminatorLoss(big, big).item()), l.name());
            assertTrue(Double.isFinite(l.generatorLoss(big).item()), l.name());
        }
        // softplus(1000) = 1000, softplus(-1000) = 0: mean = 500
        assertEquals(500.0, GanLoss.NON_SATURATING.generatorLoss(big).item(), 1e-12);
    }

    @Test
    void nonSaturatingGeneratorGradientDoesNotVanishWhenTheDiscriminatorWins() {
        // D(G) = sigmoid(-10) ~ 4.5e-5: minimax gradient d/dl [-softplus(l)] = -sigmoid(l) ~ -4.5e-5,
        // non-saturating d/dl softplus(-l) = -sigmoid(-l) ~ -1
        Tensor l = Tensor.of(new double[] {-10.0}, 1).requiresGrad(true);
        GanLoss.MINIMAX.generatorLoss(l).backward();
        double minimax = l.grad().item();
        l.zeroGrad();
        GanLoss.NON_SATURATING.generatorLoss(l).backward();
        double ns = l.grad().item();
        assertEquals(-1.0 / (1.0 + Math.exp(10.0)), minimax, 1e-18);
        assertEquals(-1.0 / (1.0 + Math.exp(-10.0)), ns, 1e-15);
    }
}
