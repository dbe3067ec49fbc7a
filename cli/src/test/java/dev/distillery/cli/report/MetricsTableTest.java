package dev.distillery.cli.report;

import dev.distillery.autograd.io.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MetricsTableTest {

    static MetricsTable sample() {
        Map<String, Double> teacher = new LinkedHashMap<>();
        teacher.put("modes", 25.0);
        teacher.put("mmd", 0.1 + 0.2); // 0.30000000000000004: needs all 17 digits
        Map<String, Double> student = new LinkedHashMap<>();
        student.put("modes", 19.0);
        student.put("mmd", Double.NaN);
        student.put("recall", 1.2345678901234567e-7);
        return new MetricsTable()
                .add("ddim", 50, teacher, Double.NaN, 1.25)
                .add("consistency \"CD\", \\ok", 1, student, 12.5, Double.POSITIVE_INFINITY);
    }

    @Test
    void jsonIsAListOfObjectsWithEveryColumnInFullPrecision() {
        String json = sample().toJson();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) TinyJson.parse(json);
        assertEquals(2, rows.size());
        Map<String, Object> a = rows.get(0);
        assertEquals(List.of("method", "steps", "modes", "mmd", "recall", "train_seconds", "sample_seconds"), List.copyOf(a.keySet()));
        assertEquals("ddim", a.get("method"));
        assertEquals(50.0, a.get("steps"));
        assertEquals(0.1 + 0.2, (Double) a.get("mmd"), 0.0);
        assertNull(a.get("recall"), "missing metric");
        assertNull(a.get("train_seconds"), "NaN");
        Map<String, Object> b = rows.get(1);
        assertEquals("consistency \"CD\", \\ok", b.get("method"), "escaped and read back");
        assertNull(b.get("mmd"));
        assertEquals(1.2345678901234567e-7, (Double) b.get("recall"), 0.0);
        assertNull(b.get("sample_seconds"), "infinity");
        assertEquals("[]", new MetricsTable().toJson().strip());
    }

    @Test
    void jsonEscapesControlCharacters() {
        String s = Json.string("a\u0001b\nc\u2028");
        assertEquals("\"a\\u0001b\\nc\\u2028\"", s);
        assertEquals("a\u0001b\nc\u2028", TinyJson.parse(s));
    }

    @Test
    void csvHasAHeaderAndOneLinePerRowWithQuotedText() {
        String[] lines = sample().toCsv().split("\n");
        assertEquals(3, lines.length);
        assertEquals("method,steps,modes,mmd,recall,train_seconds,sample_seconds", lines[0]);
        assertEquals("ddim,50,25.0,0.30000000000000004,,,1.25", lines[1]);
        assertTrue(lines[2].startsWith("\"consistency \"\"CD\"\", \\ok\",1,19.0,,"), lines[2]);
        assertTrue(lines[2].endsWith(",12.5,"), lines[2]);
        String recall = lines[2].split(",")[5];
        assertEquals(1.2345678901234567e-7, Double.parseDouble(recall), 0.0, "round trip of " + recall);
        for (String line : lines) {
            String unquoted = line.replaceAll("\"([^\"]|\"\")*\"", "Q");
            assertEquals(7, unquoted.split(",", -1).length, line);
        }
    }

    @Test
    void textTableAlignsEveryColumn() {
        String text = sample().toText();
        String[] lines = text.split("\n");
        assertEquals(4, lines.length, text);
        assertTrue(lines[1].matches("-+( +-+)+"), lines[1]);
        int width = lines[0].length();
        for (String line : lines) {
            assertEquals(width, line.length(), "numbers are right-aligned, so every line ends at the last column:\n" + text);
        }
        // the start of each right-aligned column's rule is where the header's column starts
        assertTrue(lines[2].startsWith("ddim  "), text);
        assertTrue(lines[2].contains(" 0.3 "), "four significant digits: " + text);
        assertTrue(lines[3].contains("1.235e-07"), text);
        assertTrue(lines[3].contains(" inf"), text);
    }

    @Test
    void markdownHasAlignmentRowAndEscapedPipes() {
        MetricsTable t = sample().add("a|b", 2, Map.of("modes", 3.0), 1, 2);
        String[] lines = t.toMarkdown().split("\n");
        assertEquals(5, lines.length);
        assertTrue(lines[0].startsWith("| method") && lines[0].endsWith("|"), lines[0]);
        assertTrue(lines[1].matches("\\| :-+ \\|( -+: \\|)+"), lines[1]);
        assertTrue(lines[4].startsWith("| a\\|b "), lines[4]);
    }

    @Test
    void humanNumbersKeepFourSignificantDigits() {
        assertEquals("25", MetricsTable.format(25.0));
        assertEquals("0.01235", MetricsTable.format(0.012345));
        assertEquals("1235", MetricsTable.format(1234.56));
        assertEquals("0.5", MetricsTable.format(0.5));
        assertEquals("-2.5", MetricsTable.format(-2.5));
        assertEquals("1.500e-07", MetricsTable.format(1.5e-7));
        assertEquals("-", MetricsTable.format(Double.NaN));
        assertEquals("-inf", MetricsTable.format(Double.NEGATIVE_INFINITY));
    }
}
