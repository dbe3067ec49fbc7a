package dev.distillery.cli.report;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The marker file {@value #NAME} of a run folder: its presence says Distillery wrote the folder
 * (so {@code --force} may replace it), and while a run is being written its process holds an
 * operating-system lock on it, so that another process cleaning up after killed runs can tell a
 * live staging folder from a dead one. The operating system releases the lock when the process
 * dies, however it dies.
 */
final class RunFolderLock implements AutoCloseable {
    /** The marker's file name. */
    static final String NAME = ".distillery-run";
    private static final String TEXT = "A run folder written by distillery; 'distillery <command> --force' may replace it.\n";

    private final FileChannel channel;
    private final FileLock lock;

    private RunFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Writes the marker into {@code folder} and locks it. */
    static RunFolderLock create(Path folder) throws IOException {
        Path file = folder.resolve(NAME);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ch.write(java.nio.ByteBuffer.wrap(TEXT.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new IOException("cannot lock the new file " + file);
            }
            return new RunFolderLock(ch, lock);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Whether {@code folder} carries the marker (it was written by Distillery). */
    static boolean isMarked(Path folder) {
        return Files.isRegularFile(folder.resolve(NAME));
    }

    /** Whether a live process (this one included) is writing {@code folder}. */
    static boolean isLocked(Path folder) {
        try (FileChannel ch = FileChannel.open(folder.resolve(NAME), StandardOpenOption.WRITE)) {
            FileLock probe = ch.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            // unreadable: treat as in use, so that nothing of it is deleted
            return true;
        }
    }

    /** Releases the lock; the marker stays. */
    @Override
    public void close() {
        try (channel) {
            lock.release();
        } catch (IOException ignored) {
            // the lock goes with the channel, or with the process
        }
    }
}
