package dev.distillery.sweep;

import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * One cell of a grid: everything its result depends on, besides the teacher the whole grid shares.
 * A cell with no method is the seed's reference cell (the real-data floor and the teacher's own
 * samplers that the seed's methods are read against).
 *
 * @param method  a registered method's name, or null for the reference cell
 * @param setting the method's settings over its recipe, as a canonical label ({@code mu=0.99,n=18},
 *                {@code MethodSettings#label()}); empty for the recipe itself and for the reference cell
 * @param budget  the budget's token (null for the reference cell)
 * @param steps   training steps the budget gives this method (0 for the reference cell)
 */
public record Cell(String method, String setting, long seed, String budget, int steps, int batch, int samples)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    public Cell {
        setting = Objects.requireNonNullElse(setting, "");
    }

    /** A cell of the method's recipe, with no settings. */
    public Cell(String method, long seed, String budget, int steps, int batch, int samples) {
        this(method, "", seed, budget, steps, batch, samples);
    }

    /** The reference cell of a seed. */
    public static Cell reference(long seed, int samples) {
        return new Cell(null, "", seed, null, 0, 0, samples);
    }

    /** Whether this is a seed's reference cell. */
    public boolean isReference() {
        return method == null;
    }

    /**
     * A name unique within a grid and stable across runs, usable as a file name: the key under which
     * its result is stored, so that a re-run finds the cells already done. A cell with settings has
     * them after the method ({@code cd_mu=0.99_seed0_...}); one without has the id it always had, so
     * sweep folders written before settings existed still resume.
     */
    public String id() {
        return isReference() ? "reference_seed" + seed + "_n" + samples
                : method + (setting.isEmpty() ? "" : "_" + setting.replace(',', '_')) + "_seed" + seed + "_budget" + budget
                + "_steps" + steps + "_batch" + batch + "_n" + samples;
    }

    /** The row name with the setting: {@code cd} or {@code cd mu=0.99}. */
    public String label() {
        return isReference() ? "reference" : setting.isEmpty() ? method : method + " " + setting;
    }
}
