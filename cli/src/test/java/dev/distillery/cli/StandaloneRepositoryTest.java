package dev.distillery.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository stands alone: no file cites a path outside it or a document a clone does not
 * have (the reference folder that sat beside the first checkouts, its lecture notes by number).
 * `.ci/run` proves the same for the build by running it in a copy with nothing beside it; this test
 * catches a new citation the moment it is written. Also: the BOM lists every library module at the
 * parent's version, since it cannot inherit that version (bom/pom.xml says why).
 */
class StandaloneRepositoryTest {
    private static final Path ROOT = ArchitectureRulesTest.ROOT;

    /** Written in pieces so that this file does not match itself. */
    private static final Pattern OUTSIDE = Pattern.compile(String.join("|",
            "\\.\\./" + "shared", "bench" + "-torch", "\\bseeds? 0{2}[0-9]", "/work" + "/"), Pattern.CASE_INSENSITIVE);
    private static final Set<String> TEXT = Set.of("java", "md", "py", "sh", "xml", "txt", "properties", "json", "cu", "cuh");
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "runs", ".idea", ".vscode", "__pycache__");

    @Test
    void noFileCitesAPathOutsideTheRepository() throws IOException {
        List<String> hits = new ArrayList<>();
        for (Path file : textFiles()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (MalformedInputException e) {
                continue;  // not UTF-8 text
            }
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = OUTSIDE.matcher(lines.get(i));
                if (m.find()) {
                    hits.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + m.group() + "  (cite the paper or docs/MATH.md's section)");
                }
            }
        }
        assertTrue(hits.isEmpty(), "references outside the repository:\n" + String.join("\n", hits));
    }

    @Test
    void theBomListsEveryLibraryAtTheParentsVersion() throws IOException {
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
        assertEquals(firstTag(parent, "version"), firstTag(bom, "version"), "bom/pom.xml's version");
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
        while (module.find()) {
            String pom = Files.readString(ROOT.resolve(module.group(1)).resolve("pom.xml"));
            String artifact = firstTag(pom.contains("</parent>") ? pom.substring(pom.indexOf("</parent>")) : pom, "artifactId");
            boolean library = !artifact.equals("distillery-bom") && !artifact.equals("distillery-jmh");
            if (library) {
                assertTrue(bom.contains("<artifactId>" + artifact + "</artifactId>"), "bom/pom.xml lacks " + artifact);
            }
        }
    }

    private static String firstTag(String xml, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">([^<]+)</" + tag + ">").matcher(xml);
        assertTrue(m.find(), "no <" + tag + ">");
        return m.group(1).trim();
    }

    private static List<Path> textFiles() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> {
                        for (Path part : ROOT.relativize(p)) {
                            if (SKIPPED_DIRS.contains(part.toString())) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        int dot = name.lastIndexOf('.');
                        return dot < 0 || TEXT.contains(name.substring(dot + 1));
                    })
                    .sorted().toList();
        }
    }
}
