package dev.distillery.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Training curves: named series of values over optimisation steps, as a line chart. Options: a
 * logarithmic y axis (non-positive values cannot be drawn there and are left out), and a centred
 * moving average over {@code smoothing} points, drawn solid over the raw curve drawn faint.
 *
 * <pre>{@code
 * LossHistory h = new LossHistory();
 * for (int step = 0; step < n; step++) h.record(step, distiller.step(batch, rng));
 * BufferedImage png = LossPlot.render("consistency distillation", h.series(), LossPlot.Options.DEFAULT);
 * }</pre>
 */
public final class LossPlot {

    /** Palette (Tableau 10), one colour per series in order. */
    static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)};

    /**
     * One curve.
     *
     * @param name legend entry
     * @param steps x values (optimisation steps)
     * @param values y values, same length
     */
    public record Series(String name, double[] steps, double[] values) {
        public Series {
            Objects.requireNonNull(name, "name");
            if (steps.length != values.length) {
                throw new IllegalArgumentException("series '" + name + "' has " + steps.length + " steps but " + values.length + " values");
            }
        }

        /** Values at steps 0, 1, 2, ... */
        public static Series of(String name, double[] values) {
            double[] steps = new double[values.length];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = i;
            }
            return new Series(name, steps, values);
        }
    }

    /**
     * Drawing options.
     *
     * @param logY logarithmic y axis
     * @param smoothing moving-average window in points; 1 or less draws the raw values only
     * @param width image width in pixels
     * @param height image height in pixels
     */
    public record Options(boolean logY, int smoothing, int width, int height) {
        /** Log scale, smoothing over 50 points, 640 x 400. */
        public static final Options DEFAULT = new Options(true, 50, 640, 400);

        public Options withLogY(boolean log) {
            return new Options(log, smoothing, width, height);
        }

        public Options withSmoothing(int window) {
            return new Options(logY, window, width, height);
        }
    }

    private LossPlot() {
    }

    /** The chart as an image. */
    public static BufferedImage render(String title, List<Series> series, Options options) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        boolean smooth = options.smoothing() > 1;
        boolean anyPositive = false;
        for (Series s : series) {
            for (double v : s.values()) {
                anyPositive |= v > 0 && Double.isFinite(v);
            }
        }
        boolean logY = options.logY() && anyPositive;
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            Color colour = PALETTE[k % PALETTE.length];
            if (smooth) {
                int raw = add(data, s.name() + " (raw)", s.steps(), s.values(), logY);
                lines.setSeriesPaint(raw, new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 60));
                lines.setSeriesStroke(raw, new BasicStroke(1f));
                lines.setSeriesVisibleInLegend(raw, false);
            }
            int main = add(data, s.name(), s.steps(), smooth ? movingAverage(s.values(), options.smoothing()) : s.values(), logY);
            lines.setSeriesPaint(main, colour);
            lines.setSeriesStroke(main, new BasicStroke(smooth ? 2f : 1.5f));
        }
        NumberAxis x = new NumberAxis("step");
        x.setAutoRangeIncludesZero(false);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        String yLabel = smooth ? "value (moving average of " + options.smoothing() + ")" : "value";
        XYPlot plot = ChartStyle.plot(data, x, ChartStyle.valueAxis(yLabel, logY), lines);

        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setFrame(BlockBorder.NONE);
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return chart.createBufferedImage(options.width(), options.height(), BufferedImage.TYPE_INT_RGB, null);
    }

    /**
     * Centred moving average over {@code window} points, so the smoothed curve does not lag the
     * raw one: {@code out[i]} is the mean of the finite values among
     * {@code v[i - (window - 1) / 2 .. i + window / 2]} clipped to the array (NaN where there are none).
     */
    public static double[] movingAverage(double[] v, int window) {
        int n = v.length;
        double[] prefix = new double[n + 1];
        int[] count = new int[n + 1];
        for (int i = 0; i < n; i++) {
            boolean ok = Double.isFinite(v[i]);
            prefix[i + 1] = prefix[i] + (ok ? v[i] : 0);
            count[i + 1] = count[i] + (ok ? 1 : 0);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int lo = Math.max(0, i - (window - 1) / 2);
            int hi = Math.min(n, i + window / 2 + 1);
            int c = count[hi] - count[lo];
            out[i] = c > 0 ? (prefix[hi] - prefix[lo]) / c : Double.NaN;
        }
        return out;
    }

    private static int add(XYSeriesCollection data, String name, double[] xs, double[] ys, boolean logY) {
        XYSeries s = new XYSeries(name, false, true);
        for (int i = 0; i < xs.length; i++) {
            if (Double.isFinite(ys[i]) && (!logY || ys[i] > 0)) {
                s.add(xs[i], ys[i], false);
            }
        }
        data.addSeries(s);
        return data.getSeriesCount() - 1;
    }
}
