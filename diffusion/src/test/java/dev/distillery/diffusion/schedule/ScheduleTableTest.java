package dev.distillery.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduleTableTest {

    @Test
    void csvHasHeaderOneRowPerStepAndRoundTripsEveryDouble() {
        DiscreteSchedule s = DiscreteSchedules.cosine(10);
        String[] lines = ScheduleTable.of(s).toCsv().split("\n");
        assertEquals("t,beta,alpha_bar,alpha,sigma,log_snr", lines[0]);
        assertEquals(11, lines.length);
        for (int t = 1; t <= 10; t++) {
            String[] cells = lines[t].split(",");
            assertEquals(6, cells.length);
            assertEquals(String.valueOf(t), cells[0]);
            assertEquals(s.beta(t), Double.parseDouble(cells[1]), 0.0);
            assertEquals(s.alphaBar(t), Double.parseDouble(cells[2]), 0.0);
            assertEquals(s.alpha(t), Double.parseDouble(cells[3]), 0.0);
            assertEquals(s.sigma(t), Double.parseDouble(cells[4]), 0.0);
            assertEquals(s.logSnr(t), Double.parseDouble(cells[5]), 0.0);
        }
    }

    @Test
    void jsonHasOneArrayPerColumnAndNullForMinusInfinity() {
        DiscreteSchedule s = DiscreteSchedules.rescaleZeroTerminalSnr(DiscreteSchedules.linear(3));
        String json = ScheduleTable.of(s).toJson();
        assertTrue(json.startsWith("{\"t\":[1,2,3],\"beta\":[1.0E-4,"), json);
        assertTrue(json.contains(",\"alpha_bar\":[") && json.contains(",\"alpha\":[") && json.contains(",\"sigma\":["), json);
        assertTrue(json.endsWith(",null]}"), "log_snr(T) = -Infinity is written as null: " + json);
        assertTrue(json.contains("\"log_snr\":[" + s.logSnr(1) + "," + s.logSnr(2) + ",null]"), json);
        assertTrue(json.contains("\"alpha\":[" + s.alpha(1) + "," + s.alpha(2) + ",0.0]"), json);
    }
}
