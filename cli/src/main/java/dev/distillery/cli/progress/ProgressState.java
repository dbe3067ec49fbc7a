package dev.distillery.cli.progress;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/** What both visible reporters share: the loop's state and the formatting of its parts. */
abstract class ProgressState implements Progress {
    final PrintWriter out;
    final LongSupplier clock;
    String label = "";
    long total;
    long done;
    long startNanos;
    boolean running;
    String info = "";

    ProgressState(PrintWriter out, LongSupplier clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public synchronized void start(String label, long total) {
        if (running) {
            finish();
        }
        this.label = label;
        this.total = total;
        this.done = 0;
        this.info = "";
        this.startNanos = clock.getAsLong();
        this.running = true;
        started();
    }

    @Override
    public synchronized void update(long done, Map<String, Double> info) {
        if (!running) {
            return;
        }
        this.done = done;
        if (!info.isEmpty()) {
            this.info = formatInfo(info);
        }
        updated(clock.getAsLong());
    }

    @Override
    public synchronized void finish() {
        if (running) {
            running = false;
            finished(clock.getAsLong());
            out.flush();
        }
    }

    void started() {
    }

    abstract void updated(long now);

    abstract void finished(long now);

    /** Percentage done, floored, or -1 for an unknown total. */
    int percent() {
        return total > 0 ? (int) Math.min(100, Math.max(0, 100 * done / total)) : -1;
    }

    String count() {
        return total > 0 ? done + "/" + total : Long.toString(done);
    }

    /** "312 it/s", "4.2 it/s", "2.5 s/it"; empty before any time has passed. */
    String rate(long now) {
        double seconds = (now - startNanos) / 1e9;
        if (seconds <= 0 || done <= 0) {
            return "";
        }
        double perSecond = done / seconds;
        if (perSecond >= 100) {
            return String.format(Locale.ROOT, "%.0f it/s", perSecond);
        }
        if (perSecond >= 1) {
            return String.format(Locale.ROOT, "%.1f it/s", perSecond);
        }
        return String.format(Locale.ROOT, "%.1f s/it", 1 / perSecond);
    }

    /** Remaining time at the average rate so far; empty when unknown. */
    String eta(long now) {
        double seconds = (now - startNanos) / 1e9;
        if (total <= 0 || done <= 0 || seconds <= 0) {
            return "";
        }
        return duration(seconds * (total - done) / done);
    }

    /** "4.2s", "42s", "3:05", "1:02:03". */
    static String duration(double seconds) {
        if (seconds < 10) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /** "loss=0.04123 r1=1.2e-05": four significant digits. */
    static String formatInfo(Map<String, Double> info) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Double> e : info.entrySet()) {
            b.append(b.length() > 0 ? " " : "").append(e.getKey()).append('=').append(number(e.getValue()));
        }
        return b.toString();
    }

    static String number(Double v) {
        if (v == null || v.isNaN()) {
            return "nan";
        }
        if (v.isInfinite()) {
            return v > 0 ? "inf" : "-inf";
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        // drop trailing zeros of the mantissa: 0.04100 -> 0.041, 1.200e-05 -> 1.2e-05
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        String exponent = e < 0 ? "" : s.substring(e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return mantissa + exponent;
    }
}
