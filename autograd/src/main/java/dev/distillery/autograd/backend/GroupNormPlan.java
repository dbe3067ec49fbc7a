package dev.distillery.autograd.backend;

/**
 * Group normalisation of {@code x [batch, channels, spatial]} (spatial = the product of the
 * dimensions after the channel): the channels split into {@code groups} consecutive groups, and
 * each (image, group) is one group of {@link #groupSize()} contiguous elements with its own mean
 * and biased variance, as PyTorch's GroupNorm.
 */
public record GroupNormPlan(int batch, int channels, int groups, int spatial, double eps) {

    public GroupNormPlan {
        if (batch < 0 || spatial < 0 || groups < 1 || channels % groups != 0) {
            throw new IllegalArgumentException("group norm: " + groups + " groups for " + channels
                    + " channels (batch " + batch + ", spatial " + spatial + "); groups must divide the channels");
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("group norm: eps = " + eps + "; use a small non-negative eps such as 1e-5");
        }
    }

    /** Number of (image, group) groups: the length of the mean and rstd vectors. */
    public int count() {
        return batch * groups;
    }

    /** Elements of one group: {@code channels / groups * spatial}. */
    public int groupSize() {
        return channels / groups * spatial;
    }

    public int numel() {
        return batch * channels * spatial;
    }
}
