package dev.distillery.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final long SECOND = 1_000_000_000L;

    /** A clock the test moves by hand. */
    static final class FakeClock {
        long now;

        long get() {
            return now;
        }
    }

    private final StringWriter text = new StringWriter();
    private final FakeClock clock = new FakeClock();

    private Progress create(ProgressFactory.Mode mode, int width) {
        return new ProgressFactory(mode, new PrintWriter(text), clock::get, width,
                5 * SECOND, 60 * SECOND, false).create();
    }

    private static Map<String, Double> loss(double v) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", v);
        m.put("r1", 1.25e-5);
        return m;
    }

    @Test
    void modeFollowsQuietThenTerminal() {
        assertEquals(ProgressFactory.Mode.QUIET, ProgressFactory.mode(true, true));
        assertEquals(ProgressFactory.Mode.QUIET, ProgressFactory.mode(true, false));
        assertEquals(ProgressFactory.Mode.TERMINAL, ProgressFactory.mode(false, true));
        assertEquals(ProgressFactory.Mode.LINES, ProgressFactory.mode(false, false));
    }

    @Test
    void quietWritesNothing() {
        Progress p = create(ProgressFactory.Mode.QUIET, 80);
        assertSame(Progress.NONE, p);
        p.start("train", 100);
        for (int i = 1; i <= 100; i++) {
            clock.now += SECOND;
            p.update(i, loss(0.5));
        }
        p.finish();
        assertEquals("", text.toString());
    }

    @Test
    void plainLinesComeEveryTenPercentAtAModestCadenceAndOnceAtTheEnd() {
        Progress p = create(ProgressFactory.Mode.LINES, 80);
        p.start("train cd", 100);
        for (int i = 1; i <= 100; i++) {
            clock.now += SECOND; // one step per second: 10% every 10 s
            p.update(i, loss(1.0 / i));
        }
        p.finish();
        List<String> lines = text.toString().lines().toList();
        assertFalse(text.toString().contains("\r"), "no carriage returns in logs");
        assertEquals(10, lines.size(), text.toString());
        assertEquals("train cd: 10% 10/100, 1.0 it/s, ETA 1:30, loss=0.1 r1=1.25e-05", lines.get(0));
        assertTrue(lines.get(8).startsWith("train cd: 90% 90/100, "), lines.get(8));
        assertEquals("train cd: done 100/100 in 1:40, 1.0 it/s, loss=0.01 r1=1.25e-05", lines.get(9));
    }

    @Test
    void aFastLoopPrintsOnlyItsLastLine() {
        Progress p = create(ProgressFactory.Mode.LINES, 80);
        p.start("sample ddim", 1000);
        for (int i = 1; i <= 1000; i++) {
            clock.now += SECOND / 1000; // one second in all: under the 5 s minimum between lines
            p.update(i);
        }
        p.finish();
        assertEquals("sample ddim: done 1000/1000 in 1.0s, 1000 it/s\n", text.toString());
    }

    @Test
    void aLoopOfUnknownLengthPrintsAHeartbeat() {
        Progress p = create(ProgressFactory.Mode.LINES, 80);
        p.start("eval", 0);
        for (int i = 1; i <= 12; i++) {
            clock.now += SECOND;
            p.update(i);
        }
        p.finish();
        List<String> lines = text.toString().lines().toList();
        assertEquals(List.of("eval: 5, 1.0 it/s", "eval: 10, 1.0 it/s", "eval: stopped at 12 in 12s, 1.0 it/s"), lines);
    }

    @Test
    void aFailedLoopSaysWhereItStopped() {
        Progress p = create(ProgressFactory.Mode.LINES, 80);
        p.start("train", 100);
        clock.now += 2 * SECOND;
        p.update(3);
        p.finish();
        p.finish(); // twice is harmless
        assertEquals("train: stopped at 3/100 in 2.0s, 1.5 it/s\n", text.toString());
    }

    @Test
    void terminalRedrawsOneLineInPlaceAndEndsItAtFinish() {
        Progress p = create(ProgressFactory.Mode.TERMINAL, 80);
        p.start("train consistency", 10_000);
        for (int i = 1; i <= 4200; i++) {
            clock.now += SECOND / 1000;
            p.update(i, loss(0.0412));
        }
        String during = text.toString();
        assertFalse(during.contains("\n"), "no newline while running");
        String[] frames = during.split("\r", -1);
        assertEquals("", frames[0]);
        assertTrue(frames.length > 10 && frames.length < 100, "throttled to ~10 redraws a second: " + frames.length);
        String last = frames[frames.length - 1];
        assertTrue(last.startsWith("train consistency  42% ["), last);
        assertTrue(last.contains("] 4200/10000 1000 it/s ETA 5.8s loss=0.0412"), last);
        for (String f : frames) {
            assertTrue(f.length() < 80, "shorter than the terminal: " + f.length() + " '" + f + "'");
        }
        p.finish();
        String all = text.toString();
        assertTrue(all.endsWith("\n"));
        assertEquals(1, all.chars().filter(c -> c == '\n').count());
        String end = all.substring(all.lastIndexOf('\r') + 1).strip();
        assertTrue(end.contains(" in 4.2s "), end);
    }

    @Test
    void terminalLineFitsANarrowTerminalAndBlanksLeftovers() {
        Progress p = create(ProgressFactory.Mode.TERMINAL, 40);
        p.start("a-rather-long-label", 100);
        clock.now += SECOND;
        Map<String, Double> many = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            many.put("loss" + i, 0.123456);
        }
        p.update(50, many);
        p.update(100, Map.of());
        String[] frames = text.toString().split("\r");
        for (String f : frames) {
            assertTrue(f.length() <= 39, f.length() + " '" + f + "'");
        }
        assertTrue(frames[frames.length - 1].contains("100%"), frames[frames.length - 1]);
    }

    @Test
    void restartingFinishesThePreviousLoop() {
        Progress p = create(ProgressFactory.Mode.LINES, 80);
        p.start("one", 10);
        p.update(10);
        p.start("two", 10);
        p.update(10);
        p.finish();
        List<String> lines = text.toString().lines().toList();
        assertEquals(2, lines.size(), text.toString());
        assertTrue(lines.get(0).startsWith("one: done 10/10"));
        assertTrue(lines.get(1).startsWith("two: done 10/10"));
    }

    @Test
    void theProcessFactoryNeverWritesToStdout() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            for (boolean quiet : new boolean[] {false, true}) {
                Progress p = ProgressFactory.forStderr(quiet).create();
                p.start("train", 3);
                p.update(1, Map.of("loss", 0.5));
                p.update(3, Map.of("loss", 0.25));
                p.finish();
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8), "stdout stays clean for JSON");
        String e = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("train") && e.contains("3/3"), "progress on stderr, and once (quiet prints nothing): " + e);
        assertEquals(1, e.split("train", -1).length - 1, e);
    }

    @Test
    void numbersAndDurationsAreShort() {
        assertEquals("0.04123", ProgressState.number(0.041234567));
        assertEquals("1.2e-05", ProgressState.number(1.2e-5));
        assertEquals("12", ProgressState.number(12.0));
        assertEquals("nan", ProgressState.number(Double.NaN));
        assertEquals("4.2s", ProgressState.duration(4.2));
        assertEquals("42s", ProgressState.duration(42));
        assertEquals("3:05", ProgressState.duration(185));
        assertEquals("1:02:03", ProgressState.duration(3723));
    }
}
