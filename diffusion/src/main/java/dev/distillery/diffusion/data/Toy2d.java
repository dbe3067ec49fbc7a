package dev.distillery.diffusion.data;

import java.util.random.RandomGenerator;

/**
 * The 2-D toy data sets, as {@code double[n][2]} drawn from a generator the caller supplies: the
 * same generator state gives the same points. Conventions are stated per data set; where the
 * common reference code rescales its output, we say so and do not.
 */
public final class Toy2d {
    /** 25-Gaussians: grid spacing 2, so modes at {-4, -2, 0, 2, 4}^2. */
    public static final double GRID_SPACING = 2.0;
    /** 25-Gaussians: std 0.05 per mode. */
    public static final double GRID_STD = 0.05;
    /** 8-Gaussians: ring radius 2. */
    public static final double RING_RADIUS = 2.0;
    /** 8-Gaussians: std 0.02 per mode. */
    public static final double RING_STD = 0.02;
    /** Two moons: std of the Gaussian noise added to each point. */
    public static final double MOONS_NOISE = 0.05;
    /** Swiss roll: noise std before the division by {@link #SWISS_ROLL_SCALE}. */
    public static final double SWISS_ROLL_NOISE = 0.25;
    /** Swiss roll: the output is divided by 7.5 (WGAN-GP toy), so it fits in about [-1.8, 1.8]^2. */
    public static final double SWISS_ROLL_SCALE = 7.5;

    private static final MixtureSpec GAUSSIANS_25 = buildGrid();
    private static final MixtureSpec GAUSSIANS_8 = buildRing();

    private Toy2d() {}

    /**
     * The 25-Gaussians mixture (DDGAN / VEEGAN toy): equal weights 1/25, means
     * {@code (2i, 2j)} for i, j in {-2..2} (row-major, i outer), std 0.05. The WGAN-GP code divides
     * its samples by 2.828; we keep the unscaled grid.
     */
    public static MixtureSpec gaussians25Spec() {
        return GAUSSIANS_25;
    }

    /**
     * The 8-Gaussians ring: equal weights 1/8, means {@code 2 (cos(k pi/4), sin(k pi/4))}, k = 0..7,
     * std 0.02. Convention: the WGAN-GP toy ({@code gan_toy.py}: scale 2, noise 0.02), <em>without</em>
     * its final division by 1.414 (which would give radius about 1.41 and std about 0.014).
     */
    public static MixtureSpec gaussians8Spec() {
        return GAUSSIANS_8;
    }

    /** n points from {@link #gaussians25Spec()}. */
    public static double[][] gaussians25(int n, RandomGenerator rng) {
        return GAUSSIANS_25.sample(n, rng);
    }

    /** n points from {@link #gaussians8Spec()}. */
    public static double[][] gaussians8(int n, RandomGenerator rng) {
        return GAUSSIANS_8.sample(n, rng);
    }

    /**
     * Swiss roll, as scikit-learn's {@code make_swiss_roll} restricted to its (x, z) plane (the
     * WGAN-GP convention): {@code u ~ U(1.5 pi, 4.5 pi)}, point {@code (u cos u, u sin u) + 0.25 N(0, I)},
     * all divided by 7.5.
     */
    public static double[][] swissRoll(int n, RandomGenerator rng) {
        double[][] out = points(n);
        for (int j = 0; j < n; j++) {
            double u = 1.5 * Math.PI * (1.0 + 2.0 * rng.nextDouble());
            double x = u * StrictMath.cos(u) + SWISS_ROLL_NOISE * rng.nextGaussian();
            double y = u * StrictMath.sin(u) + SWISS_ROLL_NOISE * rng.nextGaussian();
            out[j][0] = x / SWISS_ROLL_SCALE;
            out[j][1] = y / SWISS_ROLL_SCALE;
        }
        return out;
    }

    /**
     * Two moons, as scikit-learn's {@code make_moons} but drawn i.i.d.: a fair coin picks the moon,
     * {@code u ~ U(0, pi)}; upper moon {@code (cos u, sin u)}, lower moon {@code (1 - cos u, 1/2 - sin u)};
     * plus {@code 0.05 N(0, I)}.
     */
    public static double[][] twoMoons(int n, RandomGenerator rng) {
        double[][] out = points(n);
        for (int j = 0; j < n; j++) {
            boolean upper = rng.nextBoolean();
            double u = Math.PI * rng.nextDouble();
            double x = upper ? StrictMath.cos(u) : 1.0 - StrictMath.cos(u);
            double y = upper ? StrictMath.sin(u) : 0.5 - StrictMath.sin(u);
            out[j][0] = x + MOONS_NOISE * rng.nextGaussian();
            out[j][1] = y + MOONS_NOISE * rng.nextGaussian();
        }
        return out;
    }

    /**
     * Checkerboard, the FFJORD toy: {@code x1 ~ U(-2, 2)}, {@code x2 = U(0, 1) - 2 B + (floor(x1) mod 2)}
     * with B a fair bit, and the point {@code 2 (x1, x2)}: uniform on the 8 squares of side 2 of a
     * 4 x 4 board covering [-4, 4]^2 with {@code floor(x/2) + floor(y/2)} even.
     */
    public static double[][] checkerboard(int n, RandomGenerator rng) {
        double[][] out = points(n);
        for (int j = 0; j < n; j++) {
            double x1 = 4.0 * rng.nextDouble() - 2.0;
            double x2 = rng.nextDouble() - (rng.nextBoolean() ? 2.0 : 0.0) + Math.floorMod((long) Math.floor(x1), 2L);
            out[j][0] = 2.0 * x1;
            out[j][1] = 2.0 * x2;
        }
        return out;
    }

    private static double[][] points(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n = " + n + " is outside the allowed range [0, " + Integer.MAX_VALUE + "]");
        }
        return new double[n][2];
    }

    private static MixtureSpec buildGrid() {
        double[][] means = new double[25][];
        int m = 0;
        for (int i = -2; i <= 2; i++) {
            for (int j = -2; j <= 2; j++) {
                means[m++] = new double[] {GRID_SPACING * i, GRID_SPACING * j};
            }
        }
        return MixtureSpec.equalWeights(means, GRID_STD);
    }

    private static MixtureSpec buildRing() {
        double[][] means = new double[8][];
        double c = Math.sqrt(0.5);
        // The exact unit vectors of gan_toy.py: axes and (+-1/sqrt 2, +-1/sqrt 2), in angle order.
        double[][] unit = {{1, 0}, {c, c}, {0, 1}, {-c, c}, {-1, 0}, {-c, -c}, {0, -1}, {c, -c}};
        for (int k = 0; k < 8; k++) {
            means[k] = new double[] {RING_RADIUS * unit[k][0], RING_RADIUS * unit[k][1]};
        }
        return MixtureSpec.equalWeights(means, RING_STD);
    }
}
