package dev.distillery.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering that docs/ARCHITECTURE.md states ("Import rules") holds in the main sources of
 * every module: the test reads the table from the document, so the document and the code cannot
 * drift apart. Also: every package has a package-info.java. Source scanning, no bytecode: a
 * reference is an import or a qualified name {@code dev.distillery.<package>.<Type>} outside comments.
 */
class ArchitectureRulesTest {
    /** This module's tests run in cli/; the repository is its parent. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.distillery((?:\\.[a-z][a-z0-9_]*)+)\\.(?:[A-Z]|\\*)");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern RULE_ROW = Pattern.compile("^\\|\\s*`(dev\\.distillery[\\w.]*)`\\s*\\|(.*)\\|\\s*$");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    @Test
    void everyReferenceBetweenPackagesIsAllowedByArchitectureMd() throws IOException {
        Map<String, List<String>> rules = rules();
        List<String> violations = new ArrayList<>();
        for (Path file : mainSources()) {
            String code = withoutComments(Files.readString(file));
            String pkg = packageOf(code, file);
            String key = ruleFor(pkg, rules);
            if (key == null) {
                violations.add(ROOT.relativize(file) + ": package " + pkg + " has no row in docs/ARCHITECTURE.md's import rules");
                continue;
            }
            Set<String> referenced = new TreeSet<>();
            Matcher m = REFERENCE.matcher(code);
            while (m.find()) {
                referenced.add("dev.distillery" + m.group(1));
            }
            for (String ref : referenced) {
                if (!ref.equals(pkg) && rules.get(key).stream().noneMatch(allowed -> allows(allowed, ref))) {
                    violations.add(ROOT.relativize(file) + ": " + pkg + " refers to " + ref
                            + ", which the row of " + key + " does not allow");
                }
            }
        }
        assertTrue(violations.isEmpty(), "imports against docs/ARCHITECTURE.md:\n" + String.join("\n", violations));
    }

    /**
     * The rows of the CLI's packages allow imports one way only: no package may import, directly or
     * through others, a package that may import it (say the root, which imports them all). Read
     * from the rules, not the code, so a row that would allow a cycle fails even before code uses it.
     */
    @Test
    void theCliPackagesDependOneWay() throws IOException {
        Map<String, List<String>> rules = rules();
        Set<String> packages = new TreeSet<>();
        for (Path file : mainSources()) {
            String pkg = packageOf(withoutComments(Files.readString(file)), file);
            if (pkg.equals(CLI) || pkg.startsWith(CLI + ".")) {
                packages.add(pkg);
            }
        }
        assertTrue(packages.size() >= 8, "too few CLI packages found: " + packages);
        Map<String, Set<String>> mayImport = new LinkedHashMap<>();
        for (String from : packages) {
            Set<String> to = new TreeSet<>();
            for (String other : packages) {
                if (!other.equals(from) && rules.get(ruleFor(from, rules)).stream().anyMatch(a -> allows(a, other))) {
                    to.add(other);
                }
            }
            mayImport.put(from, to);
        }
        for (String start : packages) {
            List<String> cycle = pathBack(start, start, mayImport, new TreeSet<>());
            assertTrue(cycle == null, "docs/ARCHITECTURE.md lets CLI packages import each other: " + start + " -> "
                    + (cycle == null ? "" : String.join(" -> ", cycle)));
        }
        assertTrue(mayImport.get(CLI).containsAll(packages.stream().filter(p -> !p.equals(CLI)).toList()),
                "the root (the entry points) may import every CLI package");
    }

    private static final String CLI = "dev.distillery.cli";

    /** A path of allowed imports from {@code from} to {@code target}, or null when there is none. */
    private static List<String> pathBack(String from, String target, Map<String, Set<String>> mayImport, Set<String> seen) {
        for (String next : mayImport.get(from)) {
            if (next.equals(target)) {
                return new ArrayList<>(List.of(next));
            }
            if (seen.add(next)) {
                List<String> rest = pathBack(next, target, mayImport, seen);
                if (rest != null) {
                    rest.add(0, next);
                    return rest;
                }
            }
        }
        return null;
    }

    @Test
    void everyPackageHasAPackageInfo() throws IOException {
        Set<Path> missing = new TreeSet<>();
        for (Path file : mainSources()) {
            if (!Files.exists(file.resolveSibling("package-info.java"))) {
                missing.add(ROOT.relativize(file.getParent()));
            }
        }
        assertTrue(missing.isEmpty(), "packages without package-info.java: " + missing);
    }

    @Test
    void theRulesTableIsReadAndTheScannerSeesReferences() throws IOException {
        Map<String, List<String>> rules = rules();
        assertTrue(rules.size() >= 10, "too few rows read from docs/ARCHITECTURE.md: " + rules.keySet());
        assertEquals("dev.distillery.distill.gan", ruleFor("dev.distillery.distill.gan", rules));
        assertEquals("dev.distillery.nn", ruleFor("dev.distillery.nn.models", rules));
        assertTrue(allows("dev.distillery.nn.**", "dev.distillery.nn.optim"));
        assertFalse(allows("dev.distillery.distill", "dev.distillery.distill.matching"));
        String code = withoutComments("import dev.distillery.nn.Module; // dev.distillery.cli.Main\n"
                + "/* dev.distillery.bench.Gemm */ var x = dev.distillery.autograd.random.RngKey.of(1);");
        Matcher m = REFERENCE.matcher(code);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertEquals(List.of(".nn", ".autograd.random"), found);
    }

    /** Rows of the "Import rules" table: package -> allowed entries. */
    static Map<String, List<String>> rules() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("docs/ARCHITECTURE.md"));
        Map<String, List<String>> rules = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Import rules");
                continue;
            }
            Matcher row = RULE_ROW.matcher(line);
            if (inSection && row.matches()) {
                List<String> allowed = new ArrayList<>();
                Matcher b = BACKTICKED.matcher(row.group(2));
                while (b.find()) {
                    allowed.add(b.group(1));
                }
                rules.put(row.group(1), allowed);
            }
        }
        return rules;
    }

    /** The most specific row for a package: its own, else its closest ancestor's. */
    static String ruleFor(String pkg, Map<String, List<String>> rules) {
        String best = null;
        for (String key : rules.keySet()) {
            if ((pkg.equals(key) || pkg.startsWith(key + ".")) && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best;
    }

    /** {@code x.**} allows x and its subpackages; {@code x} allows x alone. */
    static boolean allows(String allowed, String ref) {
        if (allowed.endsWith(".**")) {
            String base = allowed.substring(0, allowed.length() - 3);
            return ref.equals(base) || ref.startsWith(base + ".");
        }
        return ref.equals(allowed);
    }

    static List<Path> mainSources() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().replace('\\', '/').contains("/src/main/java/"))
                    .filter(p -> !ROOT.relativize(p).startsWith("examples"))
                    .filter(p -> !p.toString().replace('\\', '/').contains("/target/"))
                    .sorted().toList();
        }
    }

    private static String packageOf(String code, Path file) {
        Matcher m = PACKAGE.matcher(code);
        if (!m.find()) {
            throw new AssertionError(file + " has no package declaration");
        }
        return m.group(1);
    }

    /** Block and line comments removed, so Javadoc links do not count as references. */
    static String withoutComments(String code) {
        return code.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    }
}
