package dev.distillery.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuditCommandTest {

    @Test
    void tableListsEveryIdentityWithItsVerdictAndExitsZeroWhenAllHold() {
        CliRunner r = CliRunner.run("audit", "--seeds", "2");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[0].startsWith("identity  equation"), lines[0]);
        assertTrue(lines[0].contains("worst error") && lines[0].contains("tolerance") && lines[0].endsWith("verdict"));
        assertEquals(2 + 19 + 1, lines.length, r.out());
        for (int i = 1; i <= 19; i++) {
            String row = lines[1 + i];
            assertTrue(row.startsWith("I" + i + " "), row);
            assertTrue(row.endsWith("pass"), row);
        }
        assertTrue(lines[lines.length - 1].startsWith("19 of 19 identities hold"), lines[lines.length - 1]);
    }

    @Test
    void jsonIsAListOfObjectsWithTheDocumentedKeys() {
        CliRunner r = CliRunner.run("audit", "--json", "--seeds", "1", "--only", "I6,I15");
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out().strip();
        assertTrue(out.startsWith("[") && out.endsWith("]"), out);
        assertTrue(out.contains("{\"id\":\"I6\",\"name\":"), out);
        assertTrue(out.contains("{\"id\":\"I15\",\"name\":\"consistency-model boundary condition\",\"equation\":"), out);
        assertTrue(out.contains("\"worst_error\":0.0,\"tolerance\":0.0,\"verdict\":\"pass\","
                + "\"tolerance_used\":0.0,\"worst_seed\":1}"), out);
        assertEquals(2, out.split("\"verdict\"").length - 1);
    }

    @Test
    void failingIdentityGivesExitOne() {
        AuditCommand.Result bad = new AuditCommand.Result(dev.distillery.identities.IdentityCatalog.byId("I1").orElseThrow(), 1.0);
        assertTrue(!bad.passed());
        String text = AuditCommand.toText(java.util.List.of(bad), 3);
        assertTrue(text.contains("FAIL") && text.contains("0 of 1 identities hold") && text.contains("1 FAIL"), text);
        assertTrue(AuditCommand.toJson(java.util.List.of(bad)).contains("\"verdict\":\"fail\""));
        assertEquals(1, AuditCommand.FAILED);
    }

    @Test
    void triesSearchesDeeperAndNamesTheSeedThatCameClosestToTheTolerance() {
        CliRunner r = CliRunner.run("audit", "--json", "--tries", "5", "--only", "I6");
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        int at = out.indexOf("\"worst_seed\":") + "\"worst_seed\":".length();
        long seed = Long.parseLong(out.substring(at, out.indexOf('}', at)));
        assertTrue(seed >= 1 && seed <= 5, out);
        // The named seed reproduces the worst error on its own.
        double worst = Double.parseDouble(out.replaceAll("(?s).*\"worst_error\":([^,]+),.*", "$1"));
        try (var scope = dev.distillery.autograd.Backends.use(dev.distillery.autograd.Backends.scalar())) {
            assertEquals(worst, dev.distillery.identities.IdentityCatalog.byId("I6").orElseThrow().worstError(seed), 0.0);
        }
    }

    @Test
    void tableShowsTheShareOfTheToleranceUsedAndTheSeed() {
        var i1 = dev.distillery.identities.IdentityCatalog.byId("I1").orElseThrow();
        AuditCommand.Result half = new AuditCommand.Result(i1, i1.tolerance() / 2, 7);
        String text = AuditCommand.toText(java.util.List.of(half), 8);
        String header = text.split("\n")[0];
        assertTrue(header.contains("used") && header.contains("at seed"), header);
        String row = text.split("\n")[2];
        assertTrue(row.contains("50 %") && row.contains(" 7  pass"), row);
    }

    @Test
    void badInputIsOneLine() {
        for (String[] args : new String[][] {{"audit", "--seeds", "0"}, {"audit", "--seeds", "many"},
                {"audit", "--only", "I42"}, {"audit", "--verbose"}}) {
            CliRunner r = CliRunner.run(args);
            assertEquals(2, r.exitCode(), String.join(" ", args));
            assertEquals(1, r.err().strip().split("\n").length, r.err());
        }
    }
}
