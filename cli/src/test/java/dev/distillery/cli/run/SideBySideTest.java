package dev.distillery.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SideBySideTest {

    private static List<Callable<Integer>> squares(int n) {
        List<Callable<Integer>> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            // later jobs finish first, so the order of results cannot come from the order of completion
            jobs.add(() -> {
                Thread.sleep(2L * (n - k));
                return k * k;
            });
        }
        return jobs;
    }

    @Test
    void resultsComeBackInTheOrderOfTheJobsWhateverTheWidth() {
        List<Integer> expected = List.of(0, 1, 4, 9, 16, 25, 36);
        for (int width : new int[] {1, 2, 3, 8}) {
            assertEquals(expected, SideBySide.run(squares(7), width), "width " + width);
        }
    }

    @Test
    void jobsRunAtTheSameTimeAndKeepTheEngineToTheirOwnThread() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        Callable<Boolean> job = () -> {
            bothStarted.countDown();
            // returns only if the other job runs at the same time
            boolean met = bothStarted.await(10, TimeUnit.SECONDS);
            return met && Backends.isCallerThreadOnly();
        };
        assertEquals(List.of(true, true), SideBySide.run(List.of(job, job), 2));
        assertFalse(Backends.isCallerThreadOnly(), "the caller's thread keeps the pool");
    }

    @Test
    void oneAtATimeRunsOnTheCallersThreadWithThePool() {
        Thread caller = Thread.currentThread();
        Callable<Boolean> job = () -> Thread.currentThread() == caller && !Backends.isCallerThreadOnly();
        assertEquals(List.of(true, true), SideBySide.run(List.of(job, job), 1));
    }

    @Test
    void aFailingJobIsRethrownWithItsOwnException() {
        Callable<Integer> fails = () -> {
            throw new IllegalArgumentException("bad job");
        };
        for (int width : new int[] {1, 2}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SideBySide.run(List.of(() -> 1, fails), width));
            assertEquals("bad job", e.getMessage());
        }
    }

    @Test
    void theScopeNestsAndRestores() {
        assertFalse(Backends.isCallerThreadOnly());
        try (Backends.Scope outer = Backends.callerThreadOnly()) {
            try (Backends.Scope inner = Backends.callerThreadOnly()) {
                assertTrue(Backends.isCallerThreadOnly());
            }
            assertTrue(Backends.isCallerThreadOnly(), "closing the inner scope keeps the outer one");
        }
        assertFalse(Backends.isCallerThreadOnly());
    }
}
