package dev.distillery.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.diffusion.schedule.DiscreteSchedule;
import dev.distillery.diffusion.schedule.DiscreteSchedules;

import org.junit.jupiter.api.Test;

class ScheduleCommandTest {

    @Test
    void csvHasOneRowPerStepInFullPrecision() {
        CliRunner r = CliRunner.run("schedule", "--kind", "linear", "--steps", "10");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals("t,beta,alpha_bar,alpha,sigma,log_snr", lines[0]);
        assertEquals(11, lines.length);
        DiscreteSchedule s = DiscreteSchedules.linear(10);
        String[] row = lines[10].split(",");
        assertEquals("10", row[0]);
        assertEquals(s.alphaBar(10), Double.parseDouble(row[2]), 0.0);
        assertEquals(s.logSnr(10), Double.parseDouble(row[5]), 0.0);
    }

    @Test
    void jsonHasOneArrayPerColumn() {
        CliRunner r = CliRunner.run("schedule", "--kind", "scaled-linear", "--steps", "3", "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        for (String col : new String[] {"\"t\":[1,2,3]", "\"beta\":[", "\"alpha_bar\":[", "\"alpha\":[", "\"sigma\":[", "\"log_snr\":["}) {
            assertTrue(r.out().contains(col), col + " in " + r.out());
        }
    }

    @Test
    void zeroTerminalSnrEndsAtAlphaZero() {
        CliRunner r = CliRunner.run("schedule", "--kind", "cosine", "--steps", "5", "--zero-terminal-snr");
        String[] last = r.out().strip().split("\n")[5].split(",");
        assertEquals(0.0, Double.parseDouble(last[3]), 0.0);
    }

    @Test
    void badInputIsOneLineWithExitCodeTwo() {
        for (String[] args : new String[][] {
                {"schedule", "--kind", "sigmoid"},
                {"schedule", "--kind", "linear", "--steps", "ten"},
                {"schedule", "--kind", "linear", "--steps", "0"},
                {"schedule", "--kind", "linear", "--format", "xml"},
                {"schedule", "--kind", "linear", "--bogus"},
                {"no-such-command"}}) {
            CliRunner r = CliRunner.run(args);
            assertEquals(2, r.exitCode(), String.join(" ", args));
            assertEquals(1, r.err().strip().split("\n").length, "one line for " + String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("distillery: "), r.err());
            assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }

    @Test
    void helpWorksEverywhere() {
        assertEquals(0, CliRunner.run("--help").exitCode());
        CliRunner r = CliRunner.run("schedule", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("--zero-terminal-snr"));
    }
}
