package dev.distillery.cli.run;

import dev.distillery.autograd.Backends;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent jobs up to {@code width} at a time, each on a thread of its own that keeps the
 * engine's kernels to itself ({@link Backends#callerThreadOnly()}), and hands back their results
 * in the order the jobs were given. With width 1 the jobs run one after another on the caller's
 * thread, with the backend's full pool. Because every kernel splits its work the same way
 * whoever runs it, a job's result does not depend on the width.
 */
final class SideBySide {
    private SideBySide() {
    }

    /** The jobs' results, in order. A job's exception is rethrown (unchecked), and the jobs still running are interrupted. */
    static <T> List<T> run(List<Callable<T>> jobs, int width) {
        List<T> out = new ArrayList<>(jobs.size());
        if (width <= 1 || jobs.size() <= 1) {
            for (Callable<T> job : jobs) {
                out.add(call(job));
            }
            return out;
        }
        ExecutorService workers = Executors.newFixedThreadPool(width, r -> {
            Thread t = new Thread(r, "distillery-job");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>(jobs.size());
            for (Callable<T> job : jobs) {
                futures.add(workers.submit(() -> {
                    try (Backends.Scope ignored = Backends.callerThreadOnly()) {
                        return job.call();
                    }
                }));
            }
            for (Future<T> f : futures) {
                out.add(get(f));
            }
            return out;
        } finally {
            workers.shutdownNow();
        }
    }

    private static <T> T call(Callable<T> job) {
        try {
            return job.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a job", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
