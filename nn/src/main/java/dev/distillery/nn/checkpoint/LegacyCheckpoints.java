package dev.distillery.nn.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What earlier versions left: checkpoints with their files directly in the folder (the flat
 * layout), replaced by two renames ({@code dir -> .dir.old-X}, then {@code .dir.tmp-X -> dir}),
 * so that a kill could leave no {@code dir} and hidden siblings that nothing removed.
 */
final class LegacyCheckpoints {
    /** The files a flat checkpoint may hold; only these are ever removed from a folder. */
    private static final List<String> FLAT_FILES = List.of(Checkpoint.CONFIG, Checkpoint.MODEL, Checkpoint.OPTIMIZER,
            Checkpoint.EMA, Checkpoint.STATE);

    private LegacyCheckpoints() {
    }

    /** Whether {@code dir} holds a flat checkpoint. */
    static boolean isFlat(Path dir) {
        return Files.isRegularFile(dir.resolve(Checkpoint.CONFIG)) && Files.isRegularFile(dir.resolve(Checkpoint.MODEL));
    }

    /**
     * Puts back a flat checkpoint that a kill between the two renames left aside as
     * {@code .<name>.old-X} (when {@code target} is missing), and deletes the other hidden
     * siblings of that scheme that hold a checkpoint.
     */
    static void recoverSiblings(Path target) throws IOException {
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        Pattern sibling = Pattern.compile(Pattern.quote("." + target.getFileName()) + "\\.(tmp|old)-[0-9a-f]{1,16}");
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> s = Files.list(parent)) {
            s.filter(p -> sibling.matcher(p.getFileName().toString()).matches() && isFlat(p)).forEach(leftovers::add);
        }
        for (Path p : leftovers) {
            if (!Files.exists(target) && p.getFileName().toString().contains(".old-")) {
                Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
            } else {
                GenerationFolder.deleteTree(p);
            }
        }
    }

    /** After a generation is in place: removes the flat layout's files (and extra files) from {@code dir}. */
    static void removeFlatFiles(Path dir, Set<String> extraFiles) throws IOException {
        if (!isFlat(dir)) {
            return;
        }
        for (String name : FLAT_FILES) {
            Files.deleteIfExists(dir.resolve(name));
        }
        for (String name : extraFiles) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                Files.delete(p);
            }
        }
    }
}
