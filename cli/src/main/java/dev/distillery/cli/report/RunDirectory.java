package dev.distillery.cli.report;

import dev.distillery.cli.error.CliException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The output folder of one run, {@code <root>/<name>/}, written atomically: every file goes into
 * a hidden sibling {@code <root>/.<name>.tmp-<random>/} (the <em>staging</em> folder), and
 * {@link #commit()} moves it into place with one rename. A run that fails or is interrupted before
 * the commit leaves no {@code <root>/<name>}: {@link #close()} deletes the staging folder, and a
 * shutdown hook does the same on Ctrl-C (SIGINT/SIGTERM). Only a hard kill (SIGKILL, power loss)
 * can leave a staging folder behind, and that one is hidden and never mistaken for a report.
 *
 * <pre>{@code
 * try (RunDirectory run = RunDirectory.create(Path.of("runs"), name, force)) {
 *     run.writeString("metrics.json", table.toJson());
 *     run.writePng("samples.png", image);
 *     run.commit();                       // runs/<name>/ appears here, complete
 * }                                       // without commit: nothing appears
 * }</pre>
 *
 * <p>An existing {@code <root>/<name>} is refused unless {@code force} is set, and even then
 * unless it is a run folder (one holding the {@link RunFolderLock#NAME} marker every run gets, or
 * a {@code metrics.json}): a user's folder of the same name is never deleted. With {@code force},
 * the old run is renamed aside to {@code .<name>.old-<id>}, the new one renamed in, and the old one
 * deleted, so a reader sees the old run or the new one (for an instant, neither), never a mixture;
 * a kill between the two renames is finished by the next run that starts under the same root
 * ({@link RunLeftovers}), which also removes staging folders of killed runs. Files are written
 * temp-then-rename ({@link AtomicFiles}), so a file inside the folder is never half-written either.
 *
 * <p>The error messages name the command-line flags {@value #NAME_FLAG}, {@value #FORCE_FLAG} and
 * {@value #OUT_FLAG}, the flags the commands that write runs are expected to offer.
 */
public final class RunDirectory implements AutoCloseable {
    /** The default root folder of runs, relative to the working directory. */
    public static final String DEFAULT_ROOT = "runs";
    /** Flag that names a run; used in error messages. */
    public static final String NAME_FLAG = "--name";
    /** Flag that allows replacing an existing run; used in error messages. */
    public static final String FORCE_FLAG = "--force";
    /** Flag that chooses the root folder of runs; used in error messages. */
    public static final String OUT_FLAG = "--out";

    /** What a run folder that a command may replace holds (runs of earlier versions have only this). */
    static final String METRICS = "metrics.json";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private enum State { OPEN, COMMITTED, ABORTED }

    private final Path target;
    private final Path staging;
    private final boolean force;
    private final RunFolderLock lock;
    private final Thread cleanupHook;
    private State state = State.OPEN;

    private RunDirectory(Path target, Path staging, boolean force, RunFolderLock lock) {
        this.target = target;
        this.staging = staging;
        this.force = force;
        this.lock = lock;
        this.cleanupHook = new Thread(this::abortOnShutdown, "distillery-run-cleanup");
    }

    /**
     * Opens the run {@code <root>/<name>}: settles what killed runs left under {@code root},
     * checks that the run can be written, creates the staging folder with its locked marker and
     * registers the cleanup hook. Fails (before any long computation) when the name is not a plain
     * folder name, when the run exists and {@code force} is false, when it exists and is not a run
     * folder (whatever {@code force}), or when {@code root} cannot be created or written.
     */
    public static RunDirectory create(Path root, String name, boolean force) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new CliException("run name '" + name + "' is not a plain folder name; use " + NAME_FLAG
                    + " with letters, digits, '.', '_' and '-' (at most 128, not starting with '.')");
        }
        Path target = root.resolve(name);
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw unwritable(root, e);
        }
        if (!Files.isDirectory(root) || !Files.isWritable(root)) {
            throw unwritable(root, null);
        }
        RunLeftovers.clean(root);
        requireReplaceable(target, force);
        Path staging = root.resolve("." + name + ".tmp-" + AtomicFiles.randomSuffix());
        RunFolderLock lock;
        try {
            Files.createDirectory(staging);
            lock = RunFolderLock.create(staging);
        } catch (IOException e) {
            deleteTree(staging);
            throw unwritable(root, e);
        }
        RunDirectory run = new RunDirectory(target, staging, force, lock);
        Runtime.getRuntime().addShutdownHook(run.cleanupHook);
        return run;
    }

    /** Whether {@code folder} is a run folder a command may replace: it has the marker or a metrics.json. */
    static boolean isRun(Path folder) {
        return Files.isDirectory(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && (RunFolderLock.isMarked(folder) || Files.isRegularFile(folder.resolve(METRICS)));
    }

    /** Refuses an existing {@code target} without {@code force}, and one that is not a run whatever {@code force}. */
    private static void requireReplaceable(Path target, boolean force) {
        if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isRun(target)) {
            throw new CliException(target + " exists and is not a run folder (it has no " + METRICS + " or "
                    + RunFolderLock.NAME + "), so it is left alone (" + FORCE_FLAG + " replaces only runs): choose "
                    + "another name with " + NAME_FLAG + " NAME or another root with " + OUT_FLAG + " DIR");
        }
        if (!force) {
            throw exists(target);
        }
    }

    /**
     * A fresh name {@code yyyyMMdd-HHmmss-<command>} from the clock's local time, with
     * {@code -2}, {@code -3}, ... appended if a run of that name already exists under {@code root}.
     */
    public static String generatedName(Path root, String command, Clock clock) {
        String base = LocalDateTime.now(clock).format(STAMP) + "-" + command;
        String name = base;
        for (int i = 2; Files.exists(root.resolve(name)); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    /** Where the run will be once committed: {@code <root>/<name>}. */
    public Path target() {
        return target;
    }

    /** The hidden folder that receives the files until the commit. */
    public Path staging() {
        return staging;
    }

    /**
     * The path of {@code relative} inside the staging folder, for writers that need a path
     * (checkpoints); refuses paths that leave the folder.
     */
    public synchronized Path resolve(String relative) {
        requireOpen();
        Path p = staging.resolve(relative).normalize();
        if (!p.startsWith(staging) || p.equals(staging)) {
            throw new IllegalArgumentException("'" + relative + "' is not a file path inside the run folder");
        }
        return p;
    }

    /** Writes a file of the run (temp + rename) and returns its staging path. */
    public Path write(String relative, byte[] bytes) {
        Path p = resolve(relative);
        try {
            return AtomicFiles.write(p, bytes);
        } catch (IOException e) {
            throw new CliException("cannot write " + p + ": " + reason(e) + "; check the free space and permissions there, or choose another location with " + OUT_FLAG + " DIR");
        }
    }

    /** Writes a UTF-8 text file of the run. */
    public Path writeString(String relative, String text) {
        return write(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes an image of the run as PNG. */
    public Path writePng(String relative, BufferedImage image) {
        return write(relative, Png.encode(image));
    }

    /**
     * Moves the staging folder to {@link #target()} with one rename and returns the target. With
     * {@code force}, an existing target is first renamed aside and deleted after the move; if the
     * move fails, it is put back.
     */
    public synchronized Path commit() {
        requireOpen();
        requireReplaceable(target, force);
        Path aside = null;
        try {
            syncFolders(staging);
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                // the same id as the staging folder, so that a kill between the renames can be finished
                aside = target.resolveSibling("." + target.getFileName() + ".old-" + id());
                Files.move(target, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(staging, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (aside != null) {
                    Files.move(aside, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    aside = null;
                }
                throw e;
            }
            syncFolder(target.getParent());
        } catch (IOException e) {
            throw new CliException("cannot move the finished run into " + target + ": " + reason(e)
                    + "; the files are still in " + staging + " until this command exits");
        }
        state = State.COMMITTED;
        lock.close();
        removeHook();
        if (aside != null) {
            deleteTree(aside);
        }
        return target;
    }

    /** The random id shared by the staging folder and, when replacing, the old run set aside. */
    private String id() {
        String s = staging.getFileName().toString();
        return s.substring(s.lastIndexOf('-') + 1);
    }

    /** Forces every folder of the tree to disk, so the entries the renames publish survive a power loss. */
    private static void syncFolders(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isDirectory)::iterator) {
                syncFolder(p);
            }
        }
    }

    private static void syncFolder(Path folder) {
        try (var ch = java.nio.channels.FileChannel.open(folder, java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // folders cannot be opened on every platform (Windows); the files themselves are forced
        }
    }

    /** Whether {@link #commit()} has succeeded. */
    public synchronized boolean committed() {
        return state == State.COMMITTED;
    }

    /** Deletes the staging folder unless the run was committed; safe to call twice. */
    @Override
    public synchronized void close() {
        if (state == State.OPEN) {
            state = State.ABORTED;
            lock.close();
            deleteTree(staging);
        }
        removeHook();
    }

    private synchronized void abortOnShutdown() {
        if (state == State.OPEN) {
            state = State.ABORTED;
            lock.close();
            deleteTree(staging);
        }
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("run " + target + " is already " + state.name().toLowerCase());
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting; the hook runs or has run, and finds the state settled
        }
    }

    /**
     * Best-effort recursive delete, deepest entries first; cleanup must never mask the real error.
     * Symbolic links are deleted, never followed.
     */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // left behind; it is hidden and named .tmp-
                }
            });
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // as above
        }
    }

    private static CliException exists(Path target) {
        return new CliException("run directory " + target + " already exists; choose another name with "
                + NAME_FLAG + " NAME or pass " + FORCE_FLAG + " to replace it");
    }

    private static CliException unwritable(Path root, IOException e) {
        String why = e == null ? (Files.isDirectory(root) ? "not writable" : "not a directory") : reason(e);
        return new CliException("cannot write runs under " + root.toAbsolutePath() + ": " + why
                + "; choose a writable folder with " + OUT_FLAG + " DIR");
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return "a file is in the way at " + e.getMessage();
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory " + e.getMessage();
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
