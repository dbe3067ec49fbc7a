package dev.distillery.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Backends;
import dev.distillery.diffusion.identities.Identities;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.identities.IdentityCatalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AuditCommandTest {

    @Test
    void tableListsEveryIdentityWithItsVerdictAndClosestInputAndExitsZeroWhenAllHold() {
        CliRunner r = CliRunner.run("audit", "--tries", "2");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[0].startsWith("identity  worst error  tolerance"), lines[0]);
        assertTrue(lines[0].contains("used  verdict  closest input (origin)"), lines[0]);
        assertEquals(2 + 19 + 1, lines.length, r.out());
        for (int i = 1; i <= 19; i++) {
            String row = lines[1 + i];
            assertTrue(row.startsWith("I" + i + " "), row);
            assertTrue(row.contains(" pass  "), row);
            assertTrue(row.matches(".*\\((edge case \\d+|try \\d+ of seed 1)\\)$"), row);
        }
        // The decoded input, not a seed: I1's is a schedule, I11's the ODE's data and start.
        assertTrue(lines[2].matches("I1 .* pass +(LINEAR|SCALED_LINEAR|COSINE|LINEAR_ZERO_TERMINAL_SNR|COSINE_ZERO_TERMINAL_SNR)"
                + "\\(T = \\d+\\) .*"), lines[2]);
        assertTrue(lines[12].contains("m = ") && lines[12].contains("s0 = "), lines[12]);
        assertTrue(lines[lines.length - 1].startsWith("19 of 19 identities hold within tolerance over their edge cases"
                + " and 2 generated inputs each (seed 1;"), lines[lines.length - 1]);
    }

    @Test
    void jsonIsAListOfObjectsWithTheDocumentedKeys() {
        CliRunner r = CliRunner.run("audit", "--json", "--tries", "1", "--only", "I6,I15");
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out().strip();
        assertTrue(out.startsWith("[") && out.endsWith("]"), out);
        assertTrue(out.contains("{\"id\":\"I6\",\"name\":"), out);
        assertTrue(out.contains("{\"id\":\"I15\",\"name\":\"consistency-model boundary condition\",\"equation\":"), out);
        // I15 is exact: every input gives 0, so the first edge case (the simplest input) is the closest.
        assertTrue(out.contains("\"worst_error\":0.0,\"tolerance\":0.0,\"verdict\":\"pass\",\"tolerance_used\":0.0,"
                + "\"closest_input\":\"sigma_data = 0.5"), out);
        assertTrue(out.contains("\"origin\":\"edge case 1\"}"), out);
        assertEquals(2, out.split("\"verdict\"").length - 1);
    }

    @Test
    void aFailingIdentityGivesExitOne() {
        assertEquals(1, AuditCommand.FAILED);
    }

    @Test
    void theReportedInputReplaysItsErrorAndMoreTriesSearchDeeper() {
        double shallow = used("5");
        CliRunner r = CliRunner.run("audit", "--json", "--tries", "60", "--only", "I6");
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        double deep = number(out, "tolerance_used");
        // The same seed: the deeper search sees the shallow one's inputs and more.
        assertTrue(deep >= shallow, shallow + " then " + deep);
        String origin = string(out, "origin");
        Identity<?> i6 = IdentityCatalog.byId("I6").orElseThrow();
        try (var scope = Backends.use(Backends.scalar())) {
            assertEquals(number(out, "worst_error"), replayedError(i6, origin), 0.0, origin);
        }
    }

    private static <I> double replayedError(Identity<I> id, String origin) {
        Matcher edge = Pattern.compile("edge case (\\d+)").matcher(origin);
        Matcher drawn = Pattern.compile("try (\\d+) of seed (-?\\d+)").matcher(origin);
        I input = edge.matches() ? Identities.edgeCases(id).get(Integer.parseInt(edge.group(1)) - 1)
                : drawn.matches() ? Identities.draw(id, Long.parseLong(drawn.group(2)), Integer.parseInt(drawn.group(1)))
                : null;
        assertTrue(input != null, origin);
        return id.error(input);
    }

    private static double used(String tries) {
        CliRunner r = CliRunner.run("audit", "--json", "--tries", tries, "--only", "I6");
        assertEquals(0, r.exitCode(), r.err());
        return number(r.out(), "tolerance_used");
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([^,}]+)").matcher(json);
        assertTrue(m.find(), json);
        return Double.parseDouble(m.group(1));
    }

    private static String string(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    @Test
    void badInputIsOneLine() {
        for (String[] args : new String[][] {{"audit", "--tries", "-1"}, {"audit", "--tries", "many"},
                {"audit", "--only", "I42"}, {"audit", "--verbose"}, {"audit", "--seeds", "2"}}) {
            CliRunner r = CliRunner.run(args);
            assertEquals(2, r.exitCode(), String.join(" ", args));
            assertEquals(1, r.err().strip().split("\n").length, r.err());
        }
    }
}
