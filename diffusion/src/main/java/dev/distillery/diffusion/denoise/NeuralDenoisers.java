package dev.distillery.diffusion.denoise;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.ModelInput;
import java.util.Objects;

/**
 * Glue between the networks of the nn module ({@link ConditionalModel}) and the {@link Denoiser}
 * interface. <b>Time convention of the project:</b> every network reads the continuous time
 * {@code t in [0, 1]} as is in {@link ModelInput#t()}; its config scales it for the embedding (e.g.
 * {@code MlpConfig.timeScale = 1000}, {@code UNetConfig.timeScale = 1000}). A network trained on a
 * discrete schedule is trained and evaluated at {@code t = i / T} with {@code DiscreteSchedule.asContinuous()}.
 *
 * <p>The {@link Condition} maps onto {@link ModelInput}: labels as is (use
 * {@code Conditioning.NULL_LABEL} for "no class"; no labels at all means that for a
 * class-conditional network), the guidance scale w (a rank-0 scale is
 * broadcast to {@code [B]}), and the second time s (continuous, like t).
 */
public final class NeuralDenoisers {
    private NeuralDenoisers() {}

    /**
     * A denoiser whose network predicts {@code kind} at continuous time t under {@code schedule}
     * (for a discrete schedule pass {@code asContinuous()}).
     */
    public static NetworkDenoiser of(ConditionalModel net, Prediction kind, NoiseSchedule schedule) {
        return new NetworkDenoiser(function(net), kind, TimeConvention.continuous(), schedule);
    }

    /** The network as a {@link ModelFunction}: {@code (z, t, c) -> net.forward(input(z, t, c))}. */
    public static ModelFunction function(ConditionalModel net) {
        Objects.requireNonNull(net, "net");
        boolean classes = net.conditioning().numClasses() > 0;
        return (z, tModel, c) -> net.forward(classes ? withNullLabels(input(z, tModel, c)) : input(z, tModel, c));
    }

    /**
     * A class-conditional network asked without labels is asked unconditionally: every label
     * becomes {@code Conditioning.NULL_LABEL}, the class it was trained on by label dropout. This
     * lets one such network serve both the methods that ignore labels and classifier-free guidance.
     */
    private static ModelInput withNullLabels(ModelInput in) {
        if (in.labels() != null) {
            return in;
        }
        int[] nulls = new int[in.x().dim(0)];
        java.util.Arrays.fill(nulls, Conditioning.NULL_LABEL);
        return new ModelInput(in.x(), in.t(), in.s(), nulls, in.w());
    }

    /** The {@link ModelInput} for latent z, network time t ({@code [B]}) and condition c. */
    public static ModelInput input(Tensor z, Tensor t, Condition c) {
        Condition cc = Condition.orNone(c);
        int batch = z.dim(0);
        return new ModelInput(z, t, PerSample.expand(cc.secondTime(), batch), cc.labels(),
                PerSample.expand(cc.guidance(), batch));
    }
}
