package dev.distillery.cli;

import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.checkpoint.GenerationFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code train} may do with its {@code --checkpoint} folder, decided before any training:
 * write a new checkpoint where there is nothing, continue one ({@code --resume}), or replace one
 * ({@code --force}). {@code --force} replaces only a checkpoint folder (one holding
 * {@value Checkpoint#CONFIG}); a file or a folder of other files is refused whatever the flags,
 * so no flag can make {@code train} delete a user's files.
 */
final class CheckpointTarget {
    /** What the command will do. */
    enum Action {
        /** Nothing is there (or an empty folder with {@code --force}/{@code --resume}): train from step 0. */
        CREATE,
        /** A checkpoint is there and {@code --resume} was given: continue its training. */
        RESUME,
        /** A checkpoint is there and {@code --force} was given: train from step 0 and replace it. */
        REPLACE
    }

    private CheckpointTarget() {
    }

    /** The action for {@code dir}, or a one-line {@link CliException} naming the problem and the fix. */
    static Action decide(Path dir, boolean force, boolean resume) {
        if (force && resume) {
            throw new CliException("--force (start again, replacing the checkpoint) and --resume (continue it) "
                    + "exclude each other; pass one");
        }
        if (!Files.exists(dir)) {
            return Action.CREATE;
        }
        if (!Files.isDirectory(dir)) {
            throw new CliException("--checkpoint " + dir + " is a file, not a checkpoint folder; it is left alone "
                    + "(--force replaces only checkpoint folders): choose another --checkpoint");
        }
        if (Checkpoint.isCheckpoint(dir)) {
            if (resume) {
                return Action.RESUME;
            }
            if (force) {
                return Action.REPLACE;
            }
            throw new CliException("checkpoint folder " + dir + " exists; pass --resume to continue its training, "
                    + "--force to train again and replace it, or choose another --checkpoint");
        }
        if (isEmpty(dir)) {
            if (force || resume) {
                return Action.CREATE;
            }
            throw new CliException("folder " + dir + " exists (empty); pass --force to write the checkpoint into it, "
                    + "or choose another --checkpoint");
        }
        throw new CliException("folder " + dir + " holds files but no checkpoint (no " + Checkpoint.CONFIG + "); it is "
                + "left alone (--force replaces only checkpoint folders): choose another --checkpoint");
    }

    /** Empty, or holding only what a run killed before its first save left. */
    private static boolean isEmpty(Path dir) {
        try {
            return GenerationFolder.isEmpty(dir);
        } catch (IOException e) {
            throw new CliException("cannot read the folder " + dir + " (--checkpoint): " + MethodRun.describe(e));
        }
    }
}
