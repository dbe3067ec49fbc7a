package dev.distillery.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Known answers for every discrete schedule at T = 10.
 *
 * <p><b>Where the literals come from.</b> {@code diffusion/src/test/scripts/schedule_kat.py}
 * recomputes each schedule from its defining formula, independently of the Java code: exact
 * fractions for the linear betas {@code beta_t = 1e-4 + (t-1)/9 (0.02 - 1e-4)} and their
 * cumulative products, mpmath at 60 digits for square roots, logarithms and cosines; each value is
 * printed as the double nearest to the exact result. The script's output is pasted below verbatim.
 * Scaled linear: {@code beta_t = (sqrt(0.00085) + (t-1)/9 (sqrt(0.012) - sqrt(0.00085)))^2}.
 * Cosine: {@code beta_t = min(1 - f(t)/f(t-1), 0.999)}, {@code f(t) = cos^2((t/10 + 0.008)/1.008 pi/2)},
 * abar the product of the clipped {@code 1 - beta}. Zero terminal SNR: Lin et al. Algorithm 1
 * applied to the exact linear schedule. Columns: alpha = sqrt(abar), sigma = sqrt(1 - abar),
 * log_snr = log(abar) - log(1 - abar).
 *
 * <p><b>Tolerance.</b> The expected side carries one rounding (0.5 ulp). The Java side makes a few
 * roundings per step for each beta (at most ~3 ulps relative, the cosine beta via the
 * cancellation-free product of sines), and the cumulative product and the complement
 * {@code -expm1(sum log1p(-beta))} add about one ulp per step; a beta's relative error reaches abar
 * multiplied by {@code beta/(1 - beta)}, at most 3 for the largest unclipped beta here (0.744).
 * Hence relative errors of at most {@code (2t + 8)} ulps for beta, abar, alpha and sigma, with
 * t the step (so at most 28 ulps, about 6e-15). Log-SNR is a difference of two logarithms: its error
 * is absolute, the relative errors above plus half an ulp of each logarithm, so the bound is
 * {@code (2t + 8) eps max(1, |lambda|)}. (Observed when written: at most 4.1 ulps relative, and
 * one ulp of lambda.)
 */
class ScheduleKnownAnswerTest {
    private static final int T = 10;
    private static final double EPS = Math.ulp(1.0);

    // ---- pasted from: python3 diffusion/src/test/scripts/schedule_kat.py ----
    static final double[] LINEAR_BETA = {0.0001, 0.002311111111111111, 0.004522222222222223, 0.006733333333333333, 0.008944444444444444, 0.011155555555555556, 0.013366666666666667, 0.015577777777777777, 0.01778888888888889, 0.02};
    static final double[] LINEAR_ALPHA_BAR = {0.9999, 0.99758912, 0.9930778003128888, 0.9863910764574487, 0.9775683562735794, 0.9666630381658163, 0.9537419755556665, 0.9388847950031216, 0.9221830777053439, 0.903739416151237};
    static final double[] LINEAR_ALPHA = {0.9999499987499375, 0.9987938325800776, 0.9965328897296309, 0.9931722290003123, 0.9887205653133646, 0.9831902349829439, 0.9765971408701065, 0.9689606777383288, 0.9603036382860078, 0.9506521004822095};
    static final double[] LINEAR_SIGMA = {0.01, 0.049100712825782884, 0.08319975773469002, 0.11665729099611061, 0.1497719724328308, 0.18258412262347368, 0.215076787321025, 0.24721489638951444, 0.2789568466531268, 0.31025889809764196};
    static final double[] LINEAR_LOG_SNR = {9.21024036697585, 6.02534966205005, 4.966075416751863, 4.283327184824168, 3.774595590761533, 3.367183227256628, 3.0261582185833413, 2.7319320931492697, 2.4723848519394256, 2.239482133180845};
    static final double[] SCALED_LINEAR_BETA = {0.00085, 0.0014506160759573852, 0.0022108003551476463, 0.003130552837570783, 0.004209873523226796, 0.0054487624121156856, 0.00684721950423745, 0.008405244799592091, 0.010122838298179608, 0.012};
    static final double[] SCALED_LINEAR_ALPHA_BAR = {0.99915, 0.9977006169477072, 0.9954949000694282, 0.9923784506852286, 0.988200662920668, 0.9828161922929181, 0.9760866340919696, 0.9678823869868167, 0.9580846700916931, 0.9465876540505928};
    static final double[] SCALED_LINEAR_ALPHA = {0.9995749096490968, 0.9988496468176314, 0.9977449073132011, 0.9961819365383155, 0.9940828249802267, 0.9913708651624366, 0.9879709682434852, 0.9838101376723136, 0.9788179964077556, 0.9729273631934672};
    static final double[] SCALED_LINEAR_SIGMA = {0.0291547594742265, 0.04795188267725076, 0.06712004119912203, 0.08730148518078848, 0.10862475352944191, 0.131087023412243, 0.1546394707312153, 0.17921387505766195, 0.2047323372315837, 0.23111111169610005};
    static final double[] SCALED_LINEAR_LOG_SNR = {7.069423847025073, 6.072812399469963, 5.398029927545935, 4.869124866058212, 4.427842427072111, 4.046454588152312, 3.7091138012790643, 3.405706007189015, 3.1292845272593177, 2.874821658174206};
    static final double[] COSINE_BETA = {0.027907262886030827, 0.07549363729672258, 0.12439598636904838, 0.17718952540157393, 0.23728153019052486, 0.30988344010857233, 0.40400314303967555, 0.536998177642885, 0.7438293668954271, 0.999};
    static final double[] COSINE_ALPHA_BAR = {0.9720927371139692, 0.8987059205995089, 0.7869105111508293, 0.647478211146504, 0.4938435904406377, 0.34080963975932405, 0.20312147411833756, 0.09404561267665383, 0.024091724140085854, 2.4091724140085877e-05};
    static final double[] COSINE_ALPHA = {0.9859476340627676, 0.9480010129738833, 0.8870797659460108, 0.804660307922855, 0.702740058941169, 0.5837890370324917, 0.4506899978015238, 0.30666857138717984, 0.15521508992390481, 0.004908332113873905};
    static final double[] COSINE_SIGMA = {0.167054670350849, 0.31826730809257037, 0.461616170480596, 0.5937354535931774, 0.7114467018402448, 0.8119053887249893, 0.8926805284544199, 0.9518163621851361, 0.987880699204066, 0.9999879540653777};
    static final double[] COSINE_LOG_SNR = {3.550564235016731, 2.1829278992504353, 1.3064023202027557, 0.6079727095761417, -0.024626882811514546, -0.6596882748331379, -1.366898058226113, -2.2652090538383596, -3.7015002174994676, -10.63361808110439};
    static final double[] LINEAR_ZTSNR_BETA = {0.0001, 0.046355265920258744, 0.09172295855142269, 0.14113011153491783, 0.1984297500182841, 0.2694422152506199, 0.364195785883991, 0.5020330819898501, 0.7221030129102521, 1.0};
    static final double[] LINEAR_ZTSNR_ALPHA_BAR = {0.9999, 0.9535493696063333, 0.8660870003011963, 0.743856045349746, 0.5962528762214065, 0.43559718040275713, 0.2769545229571244, 0.13791419022593054, 0.03832593794070845, 0.0};
    static final double[] LINEAR_ZTSNR_ALPHA = {0.9999499987499375, 0.9764985251429381, 0.9306379533960542, 0.8624708953638645, 0.7721741229939052, 0.6599978639380261, 0.5262646890654211, 0.37136799838695117, 0.19577011503472241, 0.0};
    static final double[] LINEAR_ZTSNR_SIGMA = {0.01, 0.21552408309436494, 0.3659412517041549, 0.5061066633134303, 0.6354109880845573, 0.7512674754022317, 0.8503208083087674, 0.9284857617508572, 0.9806498162235546, 1.0};
    static final double[] LINEAR_ZTSNR_LOG_SNR = {9.21024036697585, 3.021801164334705, 1.8667950326441094, 1.06610791939098, 0.3898761152990294, -0.25905029757573383, -0.9596188049961341, -1.8327231312147034, -3.2225486826303102, Double.NEGATIVE_INFINITY};
    // ---- end of pasted output ----

    @Test
    void linearScheduleMatchesHandDerivedValues() {
        check(DiscreteSchedules.linear(T), LINEAR_BETA, LINEAR_ALPHA_BAR, LINEAR_ALPHA, LINEAR_SIGMA, LINEAR_LOG_SNR);
    }

    @Test
    void scaledLinearScheduleMatchesHandDerivedValues() {
        check(DiscreteSchedules.scaledLinear(T), SCALED_LINEAR_BETA, SCALED_LINEAR_ALPHA_BAR, SCALED_LINEAR_ALPHA,
                SCALED_LINEAR_SIGMA, SCALED_LINEAR_LOG_SNR);
    }

    @Test
    void cosineScheduleMatchesHandDerivedValuesIncludingTheClip() {
        DiscreteSchedule s = DiscreteSchedules.cosine(T);
        assertEquals(0.999, s.beta(T), 0.0, "the last cosine beta is clipped to exactly 0.999");
        check(s, COSINE_BETA, COSINE_ALPHA_BAR, COSINE_ALPHA, COSINE_SIGMA, COSINE_LOG_SNR);
    }

    @Test
    void zeroTerminalSnrLinearScheduleMatchesHandDerivedValues() {
        DiscreteSchedule s = DiscreteSchedules.rescaleZeroTerminalSnr(DiscreteSchedules.linear(T));
        assertEquals(1.0, s.beta(T), 0.0);
        assertEquals(0.0, s.alphaBar(T), 0.0);
        assertEquals(Double.NEGATIVE_INFINITY, s.logSnr(T));
        check(s, LINEAR_ZTSNR_BETA, LINEAR_ZTSNR_ALPHA_BAR, LINEAR_ZTSNR_ALPHA, LINEAR_ZTSNR_SIGMA, LINEAR_ZTSNR_LOG_SNR);
    }

    @Test
    void indexZeroIsCleanData() {
        DiscreteSchedule s = DiscreteSchedules.linear(T);
        assertEquals(1.0, s.alphaBar(0), 0.0);
        assertEquals(1.0, s.alpha(0), 0.0);
        assertEquals(0.0, s.sigma(0), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, s.logSnr(0));
        assertEquals(0.0, s.sigmaEdm(0), 0.0);
    }

    private static void check(DiscreteSchedule s, double[] beta, double[] abar, double[] alpha, double[] sigma,
                              double[] logSnr) {
        assertEquals(T, s.steps());
        for (int t = 1; t <= T; t++) {
            int ulps = 2 * t + 8;
            String where = s.name() + " t=" + t;
            assertRelative(beta[t - 1], s.beta(t), ulps, where + " beta");
            assertRelative(abar[t - 1], s.alphaBar(t), ulps, where + " alpha_bar");
            assertRelative(alpha[t - 1], s.alpha(t), ulps, where + " alpha");
            assertRelative(sigma[t - 1], s.sigma(t), ulps, where + " sigma");
            if (Double.isInfinite(logSnr[t - 1])) {
                assertEquals(logSnr[t - 1], s.logSnr(t), where + " log_snr");
            } else {
                double err = Math.abs(s.logSnr(t) - logSnr[t - 1]);
                double bound = ulps * EPS * Math.max(1.0, Math.abs(logSnr[t - 1]));
                assertTrue(err <= bound, where + " log_snr: expected " + logSnr[t - 1] + ", got " + s.logSnr(t)
                        + ", |error| " + err + " > " + ulps + " eps max(1, |lambda|)");
            }
        }
    }

    /** |actual - expected| <= ulps * eps * |expected| (exact equality required when expected is 0). */
    static void assertRelative(double expected, double actual, int ulps, String what) {
        double err = Math.abs(actual - expected);
        double bound = ulps * EPS * Math.abs(expected);
        assertTrue(err <= bound, what + ": expected " + expected + ", got " + actual + ", relative error "
                + (expected == 0 ? err : err / Math.abs(expected) / EPS) + " eps > " + ulps + " eps");
    }
}
