package dev.distillery.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad hyperparameters fail fast with a message naming the parameter, its value and the allowed range. */
class ScheduleValidationTest {

    private static void rejects(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void rejectsBadDiscreteHyperparameters() {
        rejects(() -> DiscreteSchedules.linear(0), "steps", "0", "[1,");
        rejects(() -> DiscreteSchedules.linear(10, 0.0, 0.02), "betaStart", "0.0", "(0, 1)");
        rejects(() -> DiscreteSchedules.linear(10, 1e-4, 1.0), "betaEnd", "1.0", "(0, 1)");
        rejects(() -> DiscreteSchedules.linear(10, 0.02, 1e-4), "betaStart", "betaEnd", "<=");
        rejects(() -> DiscreteSchedules.scaledLinear(10, Double.NaN, 0.012), "betaStart", "NaN");
        rejects(() -> DiscreteSchedules.cosine(10, -0.1), "cosine offset", "-0.1", "[0,");
        rejects(() -> DiscreteSchedules.cosine(-3), "steps", "-3");
        rejects(() -> DiscreteSchedules.rescaleZeroTerminalSnr(DiscreteSchedules.linear(1)), "steps", "1", "[2,");
        rejects(() -> DiscreteSchedule.fromBetas("x", new double[] {0.1, 1.0, 0.2}), "beta_2", "1.0", "(0, 1)");
        rejects(() -> DiscreteSchedule.fromBetas("x", new double[0]), "steps", "0");
    }

    @Test
    void rejectsIndicesAndTimesOutOfRange() {
        DiscreteSchedule s = DiscreteSchedules.linear(10);
        rejects(() -> s.alphaBar(11), "t", "11", "[0, 10]");
        rejects(() -> s.alpha(-1), "t", "-1", "[0, 10]");
        rejects(() -> s.beta(0), "t", "0", "[1, 10]");
        rejects(() -> s.indexFromLogSnr(Double.NaN), "logSnr", "NaN");
        rejects(() -> s.indexFromSigmaEdm(-1.0), "sigmaEdm", "-1.0", "[0,");
        NoiseSchedule c = ContinuousCosine.INSTANCE;
        rejects(() -> c.alpha(1.5), "t", "1.5", "[0, 1]");
        rejects(() -> c.sigma(Double.NaN), "t", "NaN", "[0, 1]");
        rejects(() -> s.asContinuous().logSnr(-0.01), "t", "-0.01", "[0, 1]");
        rejects(() -> new LogSnrLinear(5, 5), "logSnrMin", "5.0");
        rejects(() -> LogSnrLinear.vdmDefault().logSnr(2), "t", "2.0", "[0, 1]");
    }

    @Test
    void rejectsBadKarrasParameters() {
        rejects(() -> KarrasSigmas.levels(0, 0.002, 80, 7), "n", "0", "[1,");
        rejects(() -> KarrasSigmas.levels(10, 0.002, 80, 0), "rho", "0.0", "(0,");
        rejects(() -> KarrasSigmas.levels(10, 0.002, 80, -7), "rho", "-7.0");
        rejects(() -> KarrasSigmas.levels(10, 0.0, 80, 7), "sigmaMin", "0.0");
        rejects(() -> KarrasSigmas.levels(10, 1.0, 0.5, 7), "sigmaMax", "0.5");
        rejects(() -> new EdmConfig(0.002, 80, 0, 7), "sigmaData", "0.0");
    }
}
