package dev.distillery.cli.store;


import dev.distillery.cli.error.CliException;
import dev.distillery.distill.DistillCheckpoint;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.checkpoint.GenerationFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * What {@code train} and {@code distill} may do with their {@code --checkpoint} folder, decided
 * before any training: write a new checkpoint where there is nothing, continue one
 * ({@code --resume}), or replace one ({@code --force}). {@code --force} replaces only a checkpoint
 * folder of the command's own {@link Kind} (for {@code train} one holding
 * {@value Checkpoint#CONFIG}, for {@code distill} one holding {@value DistillCheckpoint#TENSORS}); a
 * file or a folder of other files is refused whatever the flags, so no flag can make a command
 * delete a user's files or the other command's checkpoint.
 */
public final class CheckpointTarget {
    /** Default of {@code --checkpoint-every} of both commands: a kill costs at most this many steps (seconds of work). */
    public static final int DEFAULT_EVERY = 500;

    /**
     * The checkpoints a command writes.
     *
     * @param name         what the messages call them
     * @param marker       the file that makes a folder one of them, for the messages
     * @param isCheckpoint whether a folder holds one
     * @param leftovers    removes what killed saves left in a folder of them
     */
    public record Kind(String name, String marker, Predicate<Path> isCheckpoint, Leftovers leftovers) {
        /** {@code train}'s nn checkpoints. */
        public static final Kind TEACHER = new Kind("checkpoint", Checkpoint.CONFIG, Checkpoint::isCheckpoint,
                Checkpoint::removeLeftovers);
        /** {@code distill}'s saved training runs. */
        static final Kind DISTILL = new Kind("distill checkpoint", DistillCheckpoint.TENSORS,
                DistillCheckpoint::isCheckpoint, DistillCheckpoint::removeLeftovers);
    }

    /** Removes what killed saves left in a checkpoint folder. */
    public interface Leftovers {
        void remove(Path dir) throws IOException;
    }

    /** What the command will do. */
    public enum Action {
        /** Nothing is there (or an empty folder with {@code --force}/{@code --resume}): train from step 0. */
        CREATE,
        /** A checkpoint is there and {@code --resume} was given: continue its training. */
        RESUME,
        /** A checkpoint is there and {@code --force} was given: train from step 0 and replace it. */
        REPLACE
    }

    private CheckpointTarget() {
    }

    /** {@link #decide(Path, boolean, boolean, Kind)} for {@code train}'s checkpoints. */
    public static Action decide(Path dir, boolean force, boolean resume) {
        return decide(dir, force, resume, Kind.TEACHER);
    }

    /** The action for {@code dir}, or a one-line {@link CliException} naming the problem and the fix. */
    public static Action decide(Path dir, boolean force, boolean resume, Kind kind) {
        if (force && resume) {
            throw new CliException("--force (start again, replacing the checkpoint) and --resume (continue it) "
                    + "exclude each other; pass one");
        }
        if (!Files.exists(dir)) {
            return Action.CREATE;
        }
        if (!Files.isDirectory(dir)) {
            throw new CliException("--checkpoint " + dir + " is a file, not a " + kind.name() + " folder; it is left alone "
                    + "(--force replaces only " + kind.name() + " folders): choose another --checkpoint");
        }
        if (kind.isCheckpoint().test(dir)) {
            if (resume) {
                return Action.RESUME;
            }
            if (force) {
                return Action.REPLACE;
            }
            throw new CliException(kind.name() + " folder " + dir + " exists; pass --resume to continue its training, "
                    + "--force to train again and replace it, or choose another --checkpoint");
        }
        if (isEmpty(dir)) {
            if (force || resume) {
                return Action.CREATE;
            }
            throw new CliException("folder " + dir + " exists (empty); pass --force to write the " + kind.name() + " into it, "
                    + "or choose another --checkpoint");
        }
        throw new CliException("folder " + dir + " holds files but no " + kind.name() + " (no " + kind.marker() + "); it is "
                + "left alone (--force replaces only " + kind.name() + " folders): choose another --checkpoint");
    }

    /**
     * Creates {@code dir}, takes its lock for the whole run (a second {@code train} or
     * {@code distill} on it is refused in one line) and clears what killed runs of {@code kind}
     * left in it, before any training, so that an unwritable or busy place fails now rather than
     * after the first {@code --checkpoint-every} steps.
     */
    public static GenerationFolder.Hold hold(Path dir, Kind kind) {
        GenerationFolder.Hold lock = lock(dir);
        try {
            kind.leftovers().remove(dir);
            if (!Files.isWritable(dir)) {
                throw new IOException("not writable");
            }
        } catch (IOException e) {
            lock.close();
            throw new CliException("cannot write checkpoint " + dir + ": " + CliException.describe(e)
                    + "; choose a writable --checkpoint folder");
        }
        return lock;
    }

    /**
     * Takes {@code dir}'s writer lock (creating the folder) for the whole run, or says in one line
     * that another run holds it.
     */
    private static GenerationFolder.Hold lock(Path dir) {
        try {
            return GenerationFolder.hold(dir);
        } catch (GenerationFolder.InUseException e) {
            throw new CliException("checkpoint folder " + dir + " is in use by another distillery run (it holds "
                    + dir.resolve(GenerationFolder.LOCK) + "); wait for that run to end, or choose another --checkpoint");
        } catch (IOException e) {
            throw new CliException("cannot write checkpoint " + dir + ": " + CliException.describe(e)
                    + "; choose a writable --checkpoint folder");
        }
    }

    /** Empty, or holding only what a run killed before its first save left. */
    private static boolean isEmpty(Path dir) {
        try {
            return GenerationFolder.isEmpty(dir);
        } catch (IOException e) {
            throw new CliException("cannot read the folder " + dir + " (--checkpoint): " + CliException.describe(e));
        }
    }
}
