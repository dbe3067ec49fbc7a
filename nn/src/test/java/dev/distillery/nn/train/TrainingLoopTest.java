package dev.distillery.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The loop: steps from a start, logs means, checkpoints on schedule, stops on non-finite losses. */
class TrainingLoopTest {

    @Test
    void runsFromStartStepWithProgressLogsAndCheckpoints() {
        List<Long> seen = new ArrayList<>();
        List<String> logs = new ArrayList<>();
        List<Long> saves = new ArrayList<>();
        new TrainingLoop(new TrainingLoop.Options(7, 2, 3), s -> Map.of("loss", (double) s))
                .onProgress((done, total, l) -> seen.add(done))
                .logTo(logs::add)
                .checkpointWith(saves::add)
                .run(2);
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), seen);
        assertEquals(List.of(3L, 6L, 7L), saves);
        assertEquals("step 4/7  loss 2.50000", logs.get(0));     // steps 2 and 3 averaged
        assertEquals(3, logs.size());
    }

    @Test
    void nonFiniteLossNamesStepAndTerm() {
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                () -> new TrainingLoop(new TrainingLoop.Options(10, 0, 0),
                        s -> Map.of("mse", 1.0, "kl", s == 4 ? Double.NaN : 0.5)).logTo(x -> { }).run(0));
        assertEquals(4, e.step());
        assertEquals("kl", e.term());
        assertTrue(e.getMessage().startsWith("step 4: loss term 'kl' is NaN"), e.getMessage());
    }
}
