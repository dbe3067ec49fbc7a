package dev.distillery.nn.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder whose contents are replaced as a whole, so that a crash at any instant leaves the old
 * contents or the new, never neither and never a mixture. The folder itself is never renamed or
 * deleted; each version of its contents is a <em>generation</em>, a subfolder {@code gen-<n>}:
 * <ol>
 *   <li>the files are written into a hidden {@code .gen-<n>.tmp-<random>} and each is forced to
 *       disk, then the temporary folder itself;</li>
 *   <li>one rename makes it {@code gen-<n>} (the commit), and the folder is forced to disk;</li>
 *   <li>the small file {@value #POINTER} is replaced atomically (write, force, rename) to name
 *       it, for tools outside Distillery that want one path to read;</li>
 *   <li>older generations are deleted.</li>
 * </ol>
 * Readers take the newest complete generation ({@link #newest}), so a crash between 2 and 3
 * costs nothing. A crash before 2 leaves a hidden temporary folder, which the next
 * {@link #publish} removes, and a crash before 4 an older generation, which the next publish or
 * {@link #removeLeftovers} removes. One writer at a time: {@link #publish} holds a lock on
 * {@value #LOCK} and refuses a second writer; a writer that publishes many times (a training run)
 * takes the lock once with {@link #hold}, for its whole run, so that no other process publishes
 * or removes leftovers in between (the operating system drops the lock when the process dies,
 * however it dies).
 */
public final class GenerationFolder {
    /** The file naming the newest generation, e.g. {@code gen-000003}. */
    public static final String POINTER = "CURRENT";
    /** The lock file a writer holds while publishing. */
    public static final String LOCK = ".lock";

    private static final Pattern GENERATION = Pattern.compile("gen-([0-9]{1,18})");
    private static final Pattern TEMPORARY = Pattern.compile("\\.gen-[0-9]{1,18}\\.tmp-[0-9a-f]{16}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile StepListener listener = (step, folder) -> { };
    /** The folders this process holds ({@link #hold}), absolute and normalised. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    /** The points between the steps of {@link #publish}, in order. */
    public enum Step {
        /** The empty temporary folder exists. */
        STARTED,
        /** One more file is complete in the temporary folder (reported once per file). */
        FILE_WRITTEN,
        /** Every file and the temporary folder are on disk; nothing is visible yet. */
        WRITTEN,
        /** The new generation is in place (the commit); the pointer still names the old one. */
        RENAMED,
        /** The pointer names the new generation; older generations still exist. */
        POINTED,
        /** Older generations are gone: publishing is complete. */
        PRUNED
    }

    /** Told of every {@link Step} as it is reached. */
    @FunctionalInterface
    public interface StepListener {
        void reached(Step step, Path folder) throws IOException;
    }

    /** Writes one file of a generation at the path it is given. */
    @FunctionalInterface
    public interface FileWriter {
        void write(Path file) throws IOException;
    }

    private GenerationFolder() {
    }

    /**
     * Test seam: {@code l} is told of each step of every {@link #publish}, so a crash test can
     * stop the process exactly between two steps. Not for production use.
     */
    public static void listen(StepListener l) {
        listener = l == null ? (step, folder) -> { } : l;
    }

    /**
     * The newest generation of {@code folder} that {@code complete} accepts, or null when there
     * is none (or no folder).
     */
    public static Path newest(Path folder, Predicate<Path> complete) throws IOException {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        Map<Long, Path> generations = generations(folder);
        return generations.entrySet().stream().sorted(Map.Entry.<Long, Path>comparingByKey().reversed())
                .map(Map.Entry::getValue).filter(complete).findFirst().orElse(null);
    }

    /** Whether {@code folder} holds at least one generation folder. */
    public static boolean hasGenerations(Path folder) throws IOException {
        return Files.isDirectory(folder) && !generations(folder).isEmpty();
    }

    /**
     * Whether {@code folder} is a folder holding nothing but what a publish killed before its
     * first commit leaves (the lock file, hidden temporaries): a place a generation may be
     * written without replacing anything.
     */
    public static boolean isEmpty(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).allMatch(n -> n.equals(LOCK) || TEMPORARY.matcher(n).matches()
                    || n.startsWith("." + POINTER + ".tmp-"));
        }
    }

    /** {@link #hold} found the folder held by another process, or already by this one. */
    public static final class InUseException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Path folder;

        InUseException(Path folder) {
            super(folder + " is being written by another process (it holds " + LOCK
                    + "); wait for it to finish or choose another folder");
            this.folder = folder;
        }

        /** The folder that is held. */
        public Path folder() {
            return folder;
        }
    }

    /** This process's hold on a folder's writer lock; {@link #close} releases it. */
    public static final class Hold implements AutoCloseable {
        private final Path folder;
        private final FileChannel channel;
        private final FileLock lock;

        private Hold(Path folder, FileChannel channel, FileLock lock) {
            this.folder = folder;
            this.channel = channel;
            this.lock = lock;
        }

        /** Releases the lock; safe to call twice. */
        @Override
        public void close() {
            try (channel) {
                if (lock.isValid()) {
                    lock.release();
                }
            } catch (IOException ignored) {
                // the lock goes with the channel, or with the process
            } finally {
                HELD.remove(folder);
            }
        }
    }

    /**
     * Takes {@code folder}'s writer lock ({@value #LOCK}, created with the folder when needed)
     * until the returned hold is closed: meanwhile {@link #publish} from this process writes
     * without locking again, and every other process's {@link #publish} or {@code hold} is
     * refused.
     *
     * @throws InUseException if another process, or another hold of this one, has the lock
     */
    public static Hold hold(Path folder) throws IOException {
        Path key = folder.toAbsolutePath().normalize();
        Files.createDirectories(key);
        if (!HELD.add(key)) {
            throw new InUseException(key);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new Hold(key, channel, tryLock(channel, key));
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            HELD.remove(key);
            throw e;
        }
    }

    /**
     * Writes {@code files} (name to writer, in order) as the new generation of {@code folder},
     * creating the folder when needed, and returns the generation's path.
     *
     * @throws IOException if a file cannot be written (the old generation stays current), or
     *                     another process is publishing to the same folder ({@link InUseException})
     */
    public static Path publish(Path folder, Map<String, FileWriter> files) throws IOException {
        Files.createDirectories(folder);
        if (HELD.contains(folder.toAbsolutePath().normalize())) {
            return publishLocked(folder, files);
        }
        try (FileChannel lockFile = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = tryLock(lockFile, folder)) {
            return publishLocked(folder, files);
        }
    }

    /** {@link #publish} once the lock is held. */
    private static Path publishLocked(Path folder, Map<String, FileWriter> files) throws IOException {
        removeTemporaries(folder);
        Map<Long, Path> existing = generations(folder);
        long n = existing.keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
        String name = String.format("gen-%06d", n);
        Path temp = folder.resolve("." + name + ".tmp-" + random());
        Path target = folder.resolve(name);
        Files.createDirectory(temp);
        try {
            listener.reached(Step.STARTED, folder);
            for (Map.Entry<String, FileWriter> f : files.entrySet()) {
                Path file = temp.resolve(f.getKey());
                f.getValue().write(file);
                force(file);
                listener.reached(Step.FILE_WRITTEN, folder);
            }
            force(temp);
            listener.reached(Step.WRITTEN, folder);
            move(temp, target);
        } catch (IOException | RuntimeException e) {
            deleteTree(temp);
            throw e;
        }
        force(folder);
        listener.reached(Step.RENAMED, folder);
        writePointer(folder, name);
        listener.reached(Step.POINTED, folder);
        for (Path old : existing.values()) {
            deleteTree(old);
        }
        listener.reached(Step.PRUNED, folder);
        return target;
    }

    /**
     * Deletes what a publish killed before its end left in {@code folder}: hidden temporary
     * folders and pointer files (killed before the commit), and the generations older than the
     * newest one {@code complete} accepts (killed after the commit, before pruning). Only names
     * this class writes are touched.
     */
    public static void removeLeftovers(Path folder, Predicate<Path> complete) throws IOException {
        removeTemporaries(folder);
        Path newest = newest(folder, complete);
        if (newest == null) {
            return;
        }
        for (Path p : generations(folder).values()) {
            if (number(p) < number(newest)) {
                deleteTree(p);
            }
        }
    }

    private static long number(Path generation) {
        Matcher m = GENERATION.matcher(generation.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Deletes the hidden temporary folders and pointer files of publishes killed before their commit. */
    private static void removeTemporaries(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (TEMPORARY.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)) {
                    deleteTree(p);
                }
            }
        }
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith("." + POINTER + ".tmp-")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Map<Long, Path> generations(Path folder) throws IOException {
        Map<Long, Path> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Matcher m = GENERATION.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    out.put(Long.parseLong(m.group(1)), p);
                }
            }
        }
        return out;
    }

    private static FileLock tryLock(FileChannel channel, Path folder) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new InUseException(folder);
        }
        return lock;
    }

    private static void writePointer(Path folder, String generation) throws IOException {
        Path temp = folder.resolve("." + POINTER + ".tmp-" + random());
        try {
            Files.writeString(temp, generation + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            force(temp);
            try {
                Files.move(temp, folder.resolve(POINTER), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, folder.resolve(POINTER), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        force(folder);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // a folder rename within one folder is atomic on every local file system; this is a last resort
            Files.move(from, to);
        }
    }

    /**
     * Forces a file or folder to disk. A folder must be forced for a rename or new entry in it to
     * survive a power loss; where the platform cannot open folders (Windows) that is skipped.
     */
    static void force(Path p) throws IOException {
        boolean folder = Files.isDirectory(p);
        try (FileChannel ch = FileChannel.open(p, folder ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            if (!folder) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
        }
    }

    /** Recursive delete, deepest entries first; symbolic links are removed, never followed. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        }
    }

    private static String random() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
