package dev.distillery.cli.progress;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * Whole lines, for logs: when another 10% has been reached, but at most one line per
 * {@code minInterval} (a fast loop prints only its final line), and at least one per
 * {@code maxInterval} while updates arrive; a loop of unknown length prints one per
 * {@code minInterval}.
 * <pre>
 * train consistency: 40% 4000/10000, 312 it/s, ETA 19s, loss=0.0412
 * train consistency: done 10000/10000 in 32s, 312 it/s, loss=0.0398
 * </pre>
 */
final class LineProgress extends ProgressState {
    private final long minInterval;
    private final long maxInterval;
    private long lastLine;
    private int lastDecile;

    LineProgress(PrintWriter out, LongSupplier clock, long minInterval, long maxInterval) {
        super(out, clock);
        this.minInterval = minInterval;
        this.maxInterval = maxInterval;
    }

    @Override
    void started() {
        lastLine = startNanos;
        lastDecile = 0;
    }

    @Override
    void updated(long now) {
        int decile = total > 0 ? (int) Math.min(10, 10 * done / total) : Integer.MAX_VALUE;
        long since = now - lastLine;
        boolean due = (decile > lastDecile && since >= minInterval) || since >= maxInterval;
        if (due && !(total > 0 && done >= total)) { // the end gets its own line from finish()
            StringBuilder b = new StringBuilder(label).append(": ");
            if (total > 0) {
                b.append(percent()).append("% ");
            }
            b.append(count());
            append(b, rate(now));
            String eta = eta(now);
            append(b, eta.isEmpty() ? "" : "ETA " + eta);
            append(b, info);
            out.println(b);
            out.flush();
            lastLine = now;
            lastDecile = total > 0 ? decile : 0;
        }
    }

    @Override
    void finished(long now) {
        StringBuilder b = new StringBuilder(label).append(": ");
        b.append(total > 0 && done >= total ? "done " : "stopped at ").append(count());
        b.append(" in ").append(duration((now - startNanos) / 1e9));
        append(b, rate(now));
        append(b, info);
        out.println(b);
    }

    private static void append(StringBuilder b, String part) {
        if (!part.isEmpty()) {
            b.append(", ").append(part);
        }
    }
}
