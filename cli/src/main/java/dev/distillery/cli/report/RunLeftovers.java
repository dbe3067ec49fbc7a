package dev.distillery.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finishes or undoes what killed runs left under a root of runs, before a new run starts there.
 * A run is staged in {@code .<name>.tmp-<id>} and, when it replaces an older run, that run is
 * first renamed to {@code .<name>.old-<id>} (the same id). So:
 * <ul>
 *   <li>{@code .<name>.old-<id>} without {@code <name>}: killed between the two renames; the
 *       staging folder is complete, so the commit is finished (or, without it, the old run is put
 *       back);</li>
 *   <li>{@code .<name>.old-<id>} beside {@code <name>}: killed before the old run was deleted;
 *       it is deleted now;</li>
 *   <li>{@code .<name>.tmp-<id>} alone: killed before its commit; it is deleted.</li>
 * </ul>
 * Only folders carrying the {@link RunFolderLock} marker are touched, and none whose staging
 * folder a live process holds locked.
 */
final class RunLeftovers {
    private static final Pattern HIDDEN = Pattern.compile("\\.(.+)\\.(tmp|old)-([0-9a-f]{8})");

    private RunLeftovers() {
    }

    /** Recovers or removes the leftovers under {@code root}; best effort, never fails the new run. */
    static void clean(Path root) {
        List<Path> hidden = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> HIDDEN.matcher(p.getFileName().toString()).matches()).forEach(hidden::add);
        } catch (IOException | RuntimeException e) {
            return;
        }
        for (Path p : hidden) {
            try {
                settle(root, p);
            } catch (IOException | RuntimeException e) {
                // left for the next start; a leftover never stops a new run
            }
        }
    }

    private static void settle(Path root, Path p) throws IOException {
        Matcher m = HIDDEN.matcher(p.getFileName().toString());
        if (!m.matches() || !Files.isDirectory(p)) {
            return;
        }
        String name = m.group(1);
        String id = m.group(3);
        Path target = root.resolve(name);
        Path staging = root.resolve("." + name + ".tmp-" + id);
        boolean stagingLive = Files.isDirectory(staging) && RunFolderLock.isMarked(staging) && RunFolderLock.isLocked(staging);
        if (stagingLive) {
            return;
        }
        if (m.group(2).equals("old")) {
            if (!RunDirectory.isRun(p)) {
                return;
            }
            if (Files.exists(target)) {
                RunDirectory.deleteTree(p);
            } else if (Files.isDirectory(staging) && RunFolderLock.isMarked(staging)) {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                RunDirectory.deleteTree(p);
            } else {
                Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } else if (RunFolderLock.isMarked(p) && !Files.exists(root.resolve("." + name + ".old-" + id))) {
            RunDirectory.deleteTree(p);
        }
    }
}
