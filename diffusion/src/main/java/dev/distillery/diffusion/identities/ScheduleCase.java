package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import dev.distillery.diffusion.schedule.DiscreteSchedules;
import dev.distillery.diffusion.schedule.LogSnrLinear;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import java.util.Arrays;
import java.util.List;

/**
 * A schedule as an identity input: its family and the family's parameters (T for the discrete
 * families, the log-SNR endpoints for {@link Family#LOG_SNR_LINEAR}), printed as
 * {@code COSINE(T = 12)} or {@code LOG_SNR_LINEAR(13.3 -> -5.0)}.
 *
 * @param family the family
 * @param steps T in [2, 1000] for the discrete families (0 otherwise)
 * @param logSnrMax log-SNR at t = 0, for {@link Family#LOG_SNR_LINEAR} (0 otherwise)
 * @param logSnrMin log-SNR at t = 1, for {@link Family#LOG_SNR_LINEAR} (0 otherwise)
 */
public record ScheduleCase(Family family, int steps, double logSnrMax, double logSnrMin) {
    /** The largest T drawn (DDPM's 1000). */
    public static final int MAX_STEPS = 1000;

    /** Every schedule family of the diffusion layer, the discrete ones first. */
    public enum Family {
        /** Ho et al. 2020: linear betas. */
        LINEAR,
        /** Stable Diffusion's scaled linear betas. */
        SCALED_LINEAR,
        /** Nichol and Dhariwal 2021, eq. 17. */
        COSINE,
        /** Linear, rescaled to zero terminal SNR (Lin et al. 2024, Algorithm 1): alpha_T = 0. */
        LINEAR_ZERO_TERMINAL_SNR,
        /** Cosine, rescaled to zero terminal SNR: alpha_T = 0. */
        COSINE_ZERO_TERMINAL_SNR,
        /** The continuous cosine schedule; alpha(1) = 0. */
        CONTINUOUS_COSINE,
        /** Linear in log-SNR (Kingma et al. 2021), endpoints drawn. */
        LOG_SNR_LINEAR;

        /** True for the families built from a table of betas. */
        public boolean discrete() {
            return ordinal() <= COSINE_ZERO_TERMINAL_SNR.ordinal();
        }

        /** True for the families with {@code alpha_T = 0} (discrete ones only; the continuous cosine reaches 0 at t = 1 too). */
        public boolean zeroTerminalSnr() {
            return this == LINEAR_ZERO_TERMINAL_SNR || this == COSINE_ZERO_TERMINAL_SNR;
        }
    }

    /** The discrete families. */
    public static final List<Family> DISCRETE = Arrays.stream(Family.values()).filter(Family::discrete).toList();
    /** Every family. */
    public static final List<Family> ALL = List.of(Family.values());

    /**
     * A schedule from {@code families}: the family ({@code "family"}), then T ({@code "T"}, in
     * [2, 1000], edges 2 and 1000) or the log-SNR endpoints ({@code "logSnrMax"} in [2, 15],
     * {@code "logSnrMin"} in [-15, -1], edges VDM's 13.3 and -5). Shrinks toward the first family
     * and T = 2.
     */
    public static ScheduleCase choose(Choices c, List<Family> families) {
        return choose(c, families, 2);
    }

    /** As {@link #choose(Choices, List)}, with T at least {@code minSteps} (in [2, 1000]). */
    public static ScheduleCase choose(Choices c, List<Family> families, int minSteps) {
        Family f = c.pick("family", families);
        if (f.discrete()) {
            return new ScheduleCase(f, c.integer("T", minSteps, MAX_STEPS, minSteps, MAX_STEPS), 0, 0);
        }
        if (f == Family.LOG_SNR_LINEAR) {
            return new ScheduleCase(f, 0, c.real("logSnrMax", 2, 15, 13.3), c.real("logSnrMin", -15, -1, -5));
        }
        return new ScheduleCase(f, 0, 0, 0);
    }

    /** The discrete schedule; only for {@link Family#discrete()} families. */
    public DiscreteSchedule discrete() {
        return switch (family) {
            case LINEAR -> DiscreteSchedules.linear(steps);
            case SCALED_LINEAR -> DiscreteSchedules.scaledLinear(steps);
            case COSINE -> DiscreteSchedules.cosine(steps);
            case LINEAR_ZERO_TERMINAL_SNR -> DiscreteSchedules.rescaleZeroTerminalSnr(DiscreteSchedules.linear(steps));
            case COSINE_ZERO_TERMINAL_SNR -> DiscreteSchedules.rescaleZeroTerminalSnr(DiscreteSchedules.cosine(steps));
            default -> throw new IllegalStateException(family + " is not discrete");
        };
    }

    /** The schedule in continuous time t in [0, 1] (a discrete one through {@code asContinuous()}). */
    public NoiseSchedule schedule() {
        return switch (family) {
            case CONTINUOUS_COSINE -> ContinuousCosine.INSTANCE;
            case LOG_SNR_LINEAR -> new LogSnrLinear(logSnrMax, logSnrMin);
            default -> discrete().asContinuous();
        };
    }

    @Override
    public String toString() {
        if (family.discrete()) {
            return family + "(T = " + steps + ")";
        }
        return family == Family.LOG_SNR_LINEAR ? family + "(" + logSnrMax + " -> " + logSnrMin + ")" : family.toString();
    }
}
