package dev.distillery.autograd.simd;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The helper threads of a {@link SimdBackend}: {@code helpers} daemon threads that take tasks of
 * one {@link #run} call beside its caller, as OpenMP's and OpenBLAS's thread teams do.
 *
 * <p>Why not a {@code ForkJoinPool}: a training step is hundreds of parallel operations of tens
 * to hundreds of microseconds each, with a few microseconds of serial work between them. A pool
 * worker parks between them and takes tens of microseconds to wake, so the caller did most of a
 * short operation's tasks alone (W2 at batch 512 on two threads: the worker ran 40 % fewer task
 * samples than the caller). Here a helper that finishes a call spins for {@link #SPIN_NANOS}
 * waiting for the next one, and only then parks; a helper parked for {@link #KEEP_ALIVE_NANOS}
 * ends, and the next call starts a new one, so a discarded backend leaves no threads behind.
 *
 * <p>Which thread runs a task never changes its arithmetic (tasks are fixed units, see
 * {@link SimdBackend}), and the caller needs no helper: it takes tasks until none is left and
 * then waits only for tasks a helper has started, so a helper that is late, parked or gone costs
 * time, never a result. One call at a time uses the team; a call made meanwhile (from another
 * thread, or from inside a task) runs its tasks on its own thread.
 */
final class TaskTeam {
    /** How long a helper waits for the next call by spinning before it parks (default). */
    static final long SPIN_NANOS = 200_000L;
    /** How long a parked helper waits for a call before its thread ends (default). */
    static final long KEEP_ALIVE_NANOS = 2_000_000_000L;

    private static final int RUNNING = 0;
    private static final int PARKED = 1;
    private static final int ENDED = 2;

    private final String name;
    private final long spinNanos;
    private final long keepAliveNanos;
    private final Helper[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The current call; helpers compare its number with the last one they served. */
    private final AtomicReference<Call> current = new AtomicReference<>();
    /** Calls made so far (changed only by the caller holding {@link #busy}). */
    private long calls;

    TaskTeam(String name, int helpers) {
        this(name, helpers, SPIN_NANOS, KEEP_ALIVE_NANOS);
    }

    TaskTeam(String name, int helpers, long spinNanos, long keepAliveNanos) {
        this.name = name;
        this.spinNanos = spinNanos;
        this.keepAliveNanos = keepAliveNanos;
        this.helpers = new Helper[helpers];
    }

    /** Helper threads now alive (started and not ended), for tests. */
    int liveHelpers() {
        int n = 0;
        for (Helper h : helpers) {
            if (h != null && h.thread.isAlive()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Runs {@code body(0 .. tasks - 1)}, each exactly once, on the caller and the helpers; returns
     * when all have finished. The first exception a task throws is rethrown here once every task
     * has ended.
     */
    void run(int tasks, IntConsumer body) {
        if (!busy.compareAndSet(false, true)) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        Call call = new Call(++calls, tasks, body, spinNanos);
        try {
            current.set(call);
            wake();
            call.work();
            call.awaitCompletion();
        } finally {
            current.set(null);
            busy.set(false);
        }
        call.rethrow();
    }

    /** Unparks parked helpers and starts those that have ended (or never started). */
    private void wake() {
        for (int h = 0; h < helpers.length; h++) {
            Helper helper = helpers[h];
            if (helper == null || helper.state.get() == ENDED) {
                helpers[h] = helper = new Helper(name + "-" + (h + 1));
                helper.thread.start();
            } else if (helper.state.get() == PARKED) {
                LockSupport.unpark(helper.thread);
            }
        }
    }

    /** One {@link #run} call: its tasks, the next one to take, and how many have finished. */
    private static final class Call {
        /**
         * The call's number: a helper remembers the number it served, not the call, whose body
         * holds the caller's arrays.
         */
        final long number;
        final int tasks;
        final IntConsumer body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final long spinNanos;

        Call(long number, int tasks, IntConsumer body, long spinNanos) {
            this.number = number;
            this.tasks = tasks;
            this.body = body;
            this.spinNanos = spinNanos;
        }

        /** Takes tasks until none is left. */
        void work() {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                try {
                    body.accept(t);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished.incrementAndGet();
                }
            }
        }

        /** Waits for the tasks helpers are still running: spinning, then yielding the core. */
        void awaitCompletion() {
            long start = System.nanoTime();
            while (finished.get() < tasks) {
                if (System.nanoTime() - start < spinNanos) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        void rethrow() {
            Throwable e = failure.get();
            if (e instanceof RuntimeException) {
                throw (RuntimeException) e;
            }
            if (e instanceof Error) {
                throw (Error) e;
            }
            if (e != null) {
                throw new IllegalStateException("a task failed", e);
            }
        }
    }

    /** A helper thread: serves each new call, spins for the next, parks, and ends when idle long. */
    private final class Helper implements Runnable {
        final AtomicInteger state = new AtomicInteger(RUNNING);
        final Thread thread;

        Helper(String threadName) {
            thread = new Thread(this, threadName);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            long served = 0;
            long idleSince = System.nanoTime();
            while (true) {
                Call call = current.get();
                if (call != null && call.number != served) {
                    served = call.number;
                    call.work();
                    idleSince = System.nanoTime();
                    continue;
                }
                long idle = System.nanoTime() - idleSince;
                if (idle < spinNanos) {
                    Thread.onSpinWait();
                    continue;
                }
                if (idle >= keepAliveNanos) {
                    state.set(ENDED);
                    Call late = current.get();
                    if (late != null && late.number != served) {
                        // published after the check above: serve it, then end (the next call starts
                        // a new helper)
                        late.work();
                    }
                    return;
                }
                state.set(PARKED);
                Call again = current.get();
                if (again == null || again.number == served) {
                    LockSupport.parkNanos(this, keepAliveNanos);
                }
                state.set(RUNNING);
            }
        }
    }
}
