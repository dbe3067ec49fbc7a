package dev.distillery.sweep;

import java.io.Serial;
import java.io.Serializable;

/**
 * One cell of a grid: everything its result depends on, besides the teacher the whole grid shares.
 * A cell with no method is the seed's reference cell (the real-data floor and the teacher's own
 * DDIM rows that the seed's methods are read against).
 *
 * @param method  a registered method's name, or null for the reference cell
 * @param budget  the budget's token (null for the reference cell)
 * @param steps   training steps the budget gives this method (0 for the reference cell)
 */
public record Cell(String method, long seed, String budget, int steps, int batch, int samples) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The reference cell of a seed. */
    public static Cell reference(long seed, int samples) {
        return new Cell(null, seed, null, 0, 0, samples);
    }

    /** Whether this is a seed's reference cell. */
    public boolean isReference() {
        return method == null;
    }

    /**
     * A name unique within a grid and stable across runs, usable as a file name: the key under which
     * its result is stored, so that a re-run finds the cells already done.
     */
    public String id() {
        return isReference() ? "reference_seed" + seed + "_n" + samples
                : method + "_seed" + seed + "_budget" + budget + "_steps" + steps + "_batch" + batch + "_n" + samples;
    }
}
