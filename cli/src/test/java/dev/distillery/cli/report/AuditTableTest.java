package dev.distillery.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.diffusion.identities.Finding;
import dev.distillery.diffusion.identities.I1MarginalComposition;
import dev.distillery.diffusion.identities.ScheduleCase;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuditTableTest {

    @Test
    void aFailingIdentityShowsItsInput() {
        var i1 = new I1MarginalComposition();
        ScheduleCase input = new ScheduleCase(ScheduleCase.Family.COSINE, 7, 0, 0);
        Finding<?> bad = new Finding<>(i1, input, 1.0, 1e-15, "try 3 of seed 1");
        assertTrue(!bad.holds());
        String text = AuditTable.text(List.of(bad), 3, 1);
        assertTrue(text.matches("(?s).*1\\.000e\\+15 x +FAIL +COSINE\\(T = 7\\)   \\(try 3 of seed 1\\)\n.*"), text);
        assertTrue(text.contains("0 of 1 identities hold") && text.contains("1 FAIL"), text);
        String json = AuditTable.json(List.of(bad));
        assertTrue(json.contains("\"verdict\":\"fail\"") && json.contains("\"closest_input\":\"COSINE(T = 7)\""), json);
    }

    @Test
    void tableShowsTheShareOfTheToleranceUsedAndCutsLongInputs() {
        var i1 = new I1MarginalComposition();
        ScheduleCase input = new ScheduleCase(ScheduleCase.Family.LINEAR, 1000, 0, 0);
        Finding<?> exact = Finding.at(i1, input, "edge case 2");
        Finding<?> half = new Finding<>(i1, input, exact.tolerance() / 2, exact.tolerance(), "edge case 2");
        String text = AuditTable.text(List.of(half), 8, 1);
        String header = text.split("\n")[0];
        assertTrue(header.contains("used") && header.contains("closest input (origin)"), header);
        String row = text.split("\n")[2];
        assertTrue(row.matches(".* 50 % +pass +LINEAR\\(T = 1000\\)   \\(edge case 2\\)"), row);
        assertEquals("300 %", AuditTable.share(3));
        assertEquals("inf", AuditTable.share(Double.POSITIVE_INFINITY));
        String cut = AuditTable.shorten("x".repeat(AuditTable.MAX_INPUT_CHARS + 5));
        assertTrue(cut.endsWith("... (5 more characters; --json prints it whole)"), cut);
    }
}
