package dev.distillery.diffusion.schedule;

/**
 * The continuous view of a {@link DiscreteSchedule} ({@link DiscreteSchedule#asContinuous()}):
 * {@code u in [0, 1]} maps to the continuous index {@code x = u T}, and abar is linear in x between
 * grid points.
 */
final class InterpolatedDiscreteSchedule implements NoiseSchedule {
    private final DiscreteSchedule grid;

    InterpolatedDiscreteSchedule(DiscreteSchedule grid) {
        this.grid = grid;
    }

    private double index(double u) {
        return Checks.time(u) * grid.steps();
    }

    /** {@code alpha(u) = sqrt(abar(uT))}. */
    @Override
    public double alpha(double u) {
        return Math.sqrt(grid.interpolatedAlphaBar(index(u)));
    }

    /** {@code sigma(u) = sqrt(1 - abar(uT))}. */
    @Override
    public double sigma(double u) {
        return Math.sqrt(grid.interpolatedOneMinusAlphaBar(index(u)));
    }

    /** {@code lambda(u) = log(abar) - log(1 - abar)} at {@code x = uT}. */
    @Override
    public double logSnr(double u) {
        double x = index(u);
        return StrictMath.log(grid.interpolatedAlphaBar(x)) - StrictMath.log(grid.interpolatedOneMinusAlphaBar(x));
    }

    /** Closed form: {@code indexFromLogSnr(lambda) / T}. */
    @Override
    public double timeFromLogSnr(double logSnr) {
        return grid.indexFromLogSnr(logSnr) / grid.steps();
    }

    @Override
    public String toString() {
        return "Interpolated[" + grid + ", abar linear between t/T]";
    }
}
