package dev.distillery.diffusion.sampling;

/** Argument checks shared by the samplers. */
final class Checks {
    private Checks() {}

    /** At least two values, strictly decreasing, finite and non-negative. */
    static void decreasing(String name, double[] v) {
        if (v.length < 2) {
            throw new IllegalArgumentException(name + " needs at least 2 values (start and end), got " + v.length);
        }
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0.0) || !Double.isFinite(v[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + v[i] + " must be finite and >= 0");
            }
            if (i > 0 && !(v[i] < v[i - 1])) {
                throw new IllegalArgumentException(name + " must be strictly decreasing, but " + name + "[" + i + "] = "
                        + v[i] + " >= " + name + "[" + (i - 1) + "] = " + v[i - 1]);
            }
        }
    }
}
