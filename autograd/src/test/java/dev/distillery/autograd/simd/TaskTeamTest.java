package dev.distillery.autograd.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The helper team of {@link SimdBackend}: every task once, failures surface, no thread outlives its use. */
class TaskTeamTest {
    @Test
    void everyTaskRunsExactlyOnceOverManyCalls() {
        TaskTeam team = new TaskTeam("test", 3);
        for (int call = 0; call < 2000; call++) {
            int tasks = 1 + call % 37;
            AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
            team.run(tasks, runs::incrementAndGet);
            int[] got = new int[tasks];
            for (int t = 0; t < tasks; t++) {
                got[t] = runs.get(t);
            }
            int[] once = new int[tasks];
            java.util.Arrays.fill(once, 1);
            assertArrayEquals(once, got, "call " + call);
        }
    }

    @Test
    void helpersTakeTasksOfLongCalls() throws InterruptedException {
        TaskTeam team = new TaskTeam("test", 1);
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        // each task waits until two threads have been seen (or a second passed): the helper must join in
        CountDownLatch both = new CountDownLatch(2);
        team.run(8, t -> {
            if (seen.add(Thread.currentThread())) {
                both.countDown();
            }
            try {
                both.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals(2, seen.size(), "the caller and its helper both ran tasks");
    }

    @Test
    void aFailingTaskIsRethrownAfterTheOthersFinish() {
        TaskTeam team = new TaskTeam("test", 2);
        AtomicIntegerArray runs = new AtomicIntegerArray(64);
        IllegalArgumentException boom = new IllegalArgumentException("task 17");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> team.run(64, t -> {
            runs.incrementAndGet(t);
            if (t == 17) {
                throw boom;
            }
        }));
        assertSame(boom, thrown);
        for (int t = 0; t < 64; t++) {
            assertEquals(1, runs.get(t), "task " + t);
        }
        // the team is usable afterwards
        AtomicIntegerArray again = new AtomicIntegerArray(5);
        team.run(5, again::incrementAndGet);
        assertEquals(5, java.util.stream.IntStream.range(0, 5).map(again::get).sum());
    }

    @Test
    void aNestedCallRunsOnItsOwnThread() {
        TaskTeam team = new TaskTeam("test", 1);
        AtomicIntegerArray inner = new AtomicIntegerArray(4 * 6);
        team.run(4, outer -> team.run(6, t -> inner.incrementAndGet(outer * 6 + t)));
        for (int i = 0; i < inner.length(); i++) {
            assertEquals(1, inner.get(i), "inner task " + i);
        }
    }

    @Test
    void concurrentCallersEachGetAllTheirTasks() throws InterruptedException {
        TaskTeam team = new TaskTeam("test", 1);
        AtomicIntegerArray a = new AtomicIntegerArray(1000);
        AtomicIntegerArray b = new AtomicIntegerArray(1000);
        Thread other = new Thread(() -> {
            for (int r = 0; r < 50; r++) {
                int row = r;
                team.run(20, t -> b.incrementAndGet(row * 20 + t));
            }
        });
        other.start();
        for (int r = 0; r < 50; r++) {
            int row = r;
            team.run(20, t -> a.incrementAndGet(row * 20 + t));
        }
        other.join();
        for (int i = 0; i < 1000; i++) {
            assertEquals(1, a.get(i), "caller 1, task " + i);
            assertEquals(1, b.get(i), "caller 2, task " + i);
        }
    }

    @Test
    void idleHelpersEndAndAreStartedAgain() throws InterruptedException {
        TaskTeam team = new TaskTeam("test", 2, 10_000L, 50_000_000L);
        team.run(4, t -> { });
        assertEquals(2, team.liveHelpers());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (team.liveHelpers() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, team.liveHelpers(), "helpers end after the keep-alive");
        AtomicIntegerArray runs = new AtomicIntegerArray(10);
        team.run(10, runs::incrementAndGet);
        assertTrue(team.liveHelpers() > 0, "the next call starts helpers again");
        for (int t = 0; t < 10; t++) {
            assertEquals(1, runs.get(t));
        }
    }
}
