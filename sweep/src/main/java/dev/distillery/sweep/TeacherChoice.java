package dev.distillery.sweep;

import dev.distillery.cli.ShippedTeacher;
import dev.distillery.cli.progress.Progress;

import java.nio.file.Path;

/**
 * Which teacher a sweep distils, as the demo's flags say it: {@code kind} analytic or trained
 * ({@code steps} of the recipe, null: the recipe's), or a {@code checkpoint} folder (with its
 * {@code prediction} kind, null: as recorded); {@code seed} seeds its training.
 */
public record TeacherChoice(String kind, Integer steps, Path checkpoint, String prediction, long seed) {

    /** One line that identifies the teacher: a sweep folder's cells are only valid for the teacher they were run with. */
    public String identity(String dataset) {
        return "dataset=" + dataset + " kind=" + (checkpoint != null ? "checkpoint " + checkpoint.toAbsolutePath().normalize() : kind)
                + " steps=" + steps + " prediction=" + prediction + " seed=" + seed;
    }

    /** Trains or reads the teacher (and the class-conditional one when {@code conditionalToo}), once, here. */
    ShippedTeacher obtain(String dataset, boolean conditionalToo, Progress progress) {
        return ShippedTeacher.obtain(dataset, kind, steps, checkpoint, prediction, seed, conditionalToo, progress);
    }
}
