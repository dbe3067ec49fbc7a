package dev.distillery.cli.store;


import dev.distillery.cli.error.CliException;
import dev.distillery.distill.DistillCheckpoint;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.checkpoint.GenerationFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
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

    /** The checkpoints a command writes, and what the messages call them. */
    public enum Kind {
        /** {@code train}'s nn checkpoints. */
        TEACHER("checkpoint", Checkpoint.CONFIG, "this version of 'distillery train'", "train it again",
                Checkpoint::isCheckpoint, Checkpoint::removeLeftovers, Checkpoint::file),
        /** {@code distill}'s saved training runs. */
        DISTILL("distill checkpoint", DistillCheckpoint.TENSORS, "'distillery distill'", "start it again",
                DistillCheckpoint::isCheckpoint, DistillCheckpoint::removeLeftovers, DistillCheckpoint::file);

        /** What the messages call them. */
        private final String noun;
        /** The file that makes a folder one of them, for the messages. */
        private final String marker;
        /** The program that writes them, for the messages. */
        private final String writer;
        /** How {@code --force} starts one anew, for the messages. */
        private final String again;
        /** Whether a folder holds one. */
        private final Predicate<Path> holds;
        /** Removes what killed saves left in a folder of them. */
        private final Leftovers leftovers;
        /** A file saved with the newest complete save in a folder of them. */
        private final SavedFile savedFile;

        Kind(String noun, String marker, String writer, String again, Predicate<Path> holds, Leftovers leftovers,
             SavedFile savedFile) {
            this.noun = noun;
            this.marker = marker;
            this.writer = writer;
            this.again = again;
            this.holds = holds;
            this.leftovers = leftovers;
            this.savedFile = savedFile;
        }
    }

    private interface Leftovers {
        void remove(Path dir) throws IOException;
    }

    private interface SavedFile {
        Path of(Path dir, String name) throws IOException;
    }

    /** A record saved with a checkpoint: the flags that decide what is trained, which a resume must repeat. */
    public interface SavedFlags<R> {
        /** The flags, as the user would type them, in which {@code other} differs from this record. */
        List<String> differences(R other);
    }

    /** Reads a record's file. */
    public interface Reader<R> {
        R read(Path file) throws IOException;
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
            throw new CliException("--checkpoint " + dir + " is a file, not a " + kind.noun + " folder; it is left alone "
                    + "(--force replaces only " + kind.noun + " folders): choose another --checkpoint");
        }
        if (kind.holds.test(dir)) {
            if (resume) {
                return Action.RESUME;
            }
            if (force) {
                return Action.REPLACE;
            }
            throw new CliException(kind.noun + " folder " + dir + " exists; pass --resume to continue its training, "
                    + "--force to train again and replace it, or choose another --checkpoint");
        }
        if (isEmpty(dir)) {
            if (force || resume) {
                return Action.CREATE;
            }
            throw new CliException("folder " + dir + " exists (empty); pass --force to write the " + kind.noun + " into it, "
                    + "or choose another --checkpoint");
        }
        throw new CliException("folder " + dir + " holds files but no " + kind.noun + " (no " + kind.marker + "); it is "
                + "left alone (--force replaces only " + kind.noun + " folders): choose another --checkpoint");
    }

    /**
     * The record that the checkpoint of {@code kind} in {@code dir} was saved with (its file
     * {@code file}, read by {@code reader}), refusing in one line a {@code --resume} whose flags
     * ({@code wanted}) differ from it, naming the ones to use, or a record that is missing or
     * cannot be read.
     */
    public static <R extends SavedFlags<R>> R requireSameRun(Path dir, Kind kind, String file, Reader<R> reader, R wanted) {
        R saved;
        try {
            saved = reader.read(kind.savedFile.of(dir, file));
        } catch (NoSuchFileException e) {
            throw new CliException(kind.noun + " " + dir + " has no " + file + " (it was not written by " + kind.writer
                    + "), so it cannot be resumed: pass --force to " + kind.again);
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot read " + file + " of " + kind.noun + " " + dir + ": " + CliException.describe(e)
                    + "; pass --force to " + kind.again);
        }
        List<String> differences = saved.differences(wanted);
        if (!differences.isEmpty()) {
            throw new CliException(kind.noun + " " + dir + " was trained with " + String.join(", ", differences)
                    + "; resume it with the same flags, or pass --force to " + kind.again + " with these");
        }
        return saved;
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
            kind.leftovers.remove(dir);
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
