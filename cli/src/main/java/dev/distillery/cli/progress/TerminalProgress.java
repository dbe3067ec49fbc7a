package dev.distillery.cli.progress;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * One line redrawn in place: {@code \r}, the line, and spaces over what the previous, longer line
 * left. The line is kept shorter than the terminal width (a wrapped line cannot be redrawn): the
 * bar shrinks first, then the values at the end are cut.
 * <pre>
 * train consistency  42% [=========>            ] 4200/10000 312 it/s ETA 18s loss=0.0412
 * </pre>
 */
final class TerminalProgress extends ProgressState {
    private final int width;
    private final boolean unicode;
    private long lastDraw;
    private int lastLength;

    TerminalProgress(PrintWriter out, LongSupplier clock, int width, boolean unicode) {
        super(out, clock);
        this.width = width;
        this.unicode = unicode;
    }

    @Override
    void started() {
        lastLength = 0;
        draw(startNanos, false);
        lastDraw = startNanos;
    }

    @Override
    void updated(long now) {
        if (now - lastDraw >= ProgressFactory.REDRAW_NANOS || (total > 0 && done >= total)) {
            draw(now, false);
            lastDraw = now;
        }
    }

    @Override
    void finished(long now) {
        draw(now, true);
        out.print('\n');
        lastLength = 0;
    }

    private void draw(long now, boolean last) {
        String line = line(now, last);
        StringBuilder b = new StringBuilder(line.length() + lastLength + 1).append('\r').append(line);
        for (int i = line.length(); i < lastLength; i++) {
            b.append(' ');
        }
        lastLength = line.length();
        out.print(b);
        out.flush();
    }

    /** The line without control characters; package-private for tests. */
    String line(long now, boolean last) {
        int pct = percent();
        String head = label + (pct >= 0 ? String.format(java.util.Locale.ROOT, " %3d%%", pct) : "");
        String time = last ? "in " + duration((now - startNanos) / 1e9) : eta(now).isEmpty() ? "" : "ETA " + eta(now);
        String tail = join(count(), rate(now), time, info);
        int max = width - 1;
        if (pct >= 0) {
            int barWidth = Math.max(10, Math.min(30, max - head.length() - tail.length() - 4));
            head = head + " " + bar(pct, barWidth);
        }
        String line = head + " " + tail;
        return line.length() > max ? line.substring(0, max) : line;
    }

    private String bar(int pct, int barWidth) {
        int filled = pct * barWidth / 100;
        StringBuilder b = new StringBuilder(barWidth + 2).append(unicode ? '|' : '[');
        for (int i = 0; i < barWidth; i++) {
            if (unicode) {
                b.append(i < filled ? '\u2588' : '\u2591');
            } else {
                b.append(i < filled ? '=' : i == filled && pct < 100 ? '>' : ' ');
            }
        }
        return b.append(unicode ? '|' : ']').toString();
    }

    private static String join(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            if (!p.isEmpty()) {
                b.append(b.length() > 0 ? " " : "").append(p);
            }
        }
        return b.toString();
    }
}
