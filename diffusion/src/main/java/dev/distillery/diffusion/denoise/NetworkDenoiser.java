package dev.distillery.diffusion.denoise;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import java.util.Objects;

/**
 * Adapts a network ({@link ModelFunction}) that predicts {@code kind} and reads time in
 * {@code time} units into a {@link Denoiser}. The network sees the VP latent z as is; a network
 * trained in the EDM/VE view on {@code x_edm = z/alpha} should divide by alpha itself.
 *
 * <p>Each prediction is converted directly from the network's native kind (MATH 3), so e.g. an
 * eps-network's {@link #eps} is its raw output, with no round trip through x0.
 *
 * @param network the model
 * @param kind what it predicts
 * @param time how continuous t is fed to it
 * @param schedule the schedule it was trained with (for a discrete one, {@code asContinuous()})
 */
public record NetworkDenoiser(ModelFunction network, Prediction kind, TimeConvention time, NoiseSchedule schedule)
        implements Denoiser {

    public NetworkDenoiser {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(schedule, "schedule");
    }

    /** The raw network output at continuous time t. */
    public Tensor raw(Tensor z, Tensor t, Condition c) {
        double[] tm = PerSample.map(t, u -> time.toModel(schedule, u));
        Tensor tModel = Tensor.of(z.dtype(), tm, tm.length);
        return network.apply(z, tModel, Condition.orNone(c));
    }

    @Override
    public Tensor x0(Tensor z, Tensor t, Condition c) {
        return kind.toX0(z, raw(z, t, c), alpha(t, z), sigma(t, z));
    }

    @Override
    public Tensor eps(Tensor z, Tensor t, Condition c) {
        return kind.toEps(z, raw(z, t, c), alpha(t, z), sigma(t, z));
    }

    @Override
    public Tensor v(Tensor z, Tensor t, Condition c) {
        return kind.toV(z, raw(z, t, c), alpha(t, z), sigma(t, z));
    }
}
