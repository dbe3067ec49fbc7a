package dev.distillery.cli.report;

import dev.distillery.diffusion.data.MixtureSpec;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Align;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYDataset;

/**
 * 2-D samples drawn as dots over the true density, for the toy datasets. The density is a light
 * banded heat map of {@code log p(x)} (2 nats per band, the top 16 nats shown, so the bands read
 * as filled contours) with a thin line at each band edge. Both axes span the same fixed
 * {@link Frame} and the plotting area is square, so panels of different methods compare at a
 * glance; a subtitle gives the number of samples and, in red, how many fell outside the frame or
 * were not finite (a diverged sampler shows up there).
 *
 * <pre>{@code
 * Frame frame = ScatterPlot.frameFor(spec);                        // [-6, 6]^2 for 25 Gaussians
 * BufferedImage density = ScatterPlot.density(spec, frame, 360);   // once, shared by all panels
 * BufferedImage panel = ScatterPlot.render(ScatterPlot.title("ddim", 4), samples, density, frame, 400);
 * }</pre>
 */
public final class ScatterPlot {
    /** Nats between neighbouring density bands. */
    public static final double BAND_NATS = 2.0;
    /** Number of bands below the peak; lower densities are white. */
    public static final int BANDS = 8;

    private static final Color LOW = new Color(255, 255, 255);
    private static final Color HIGH = new Color(107, 174, 214);
    private static final Color EDGE = new Color(66, 110, 160);
    private static final Color DOT = new Color(200, 40, 30, 100);

    /**
     * The square {@code [min, max]^2} both axes show.
     *
     * @param min lower end of both axes
     * @param max upper end of both axes
     */
    public record Frame(double min, double max) {
        public Frame {
            if (!(min < max) || !Double.isFinite(min) || !Double.isFinite(max)) {
                throw new IllegalArgumentException("frame [" + min + ", " + max + "] must be finite with min < max");
            }
        }

        /** Whether (x, y) lies inside. */
        public boolean contains(double x, double y) {
            return x >= min && x <= max && y >= min && y <= max;
        }
    }

    private ScatterPlot() {
    }

    /**
     * A frame symmetric about 0 that holds every component with margin: the largest
     * {@code |mu_i,d| + 4 s_i}, plus 1.5, rounded up to an integer; [-6, 6] for the 25-Gaussians
     * grid, [-4, 4] for the 8-Gaussians ring.
     */
    public static Frame frameFor(MixtureSpec spec) {
        double r = 0;
        for (int i = 0; i < spec.k(); i++) {
            for (int d = 0; d < spec.dim(); d++) {
                r = Math.max(r, Math.abs(spec.mean(i, d)) + 4 * spec.std(i));
            }
        }
        double half = Math.ceil(r + 1.5);
        return new Frame(-half, half);
    }

    /** "ddim, 4 steps" or "consistency, 1 step". */
    public static String title(String method, int steps) {
        return method + ", " + steps + (steps == 1 ? " step" : " steps");
    }

    /**
     * The background: {@code log p} of a 2-D mixture on a {@code resolution x resolution} grid of
     * pixel centres over the frame (row 0 at the top, y = max), banded and edged as described above.
     */
    public static BufferedImage density(MixtureSpec spec, Frame frame, int resolution) {
        if (spec.dim() != 2) {
            throw new IllegalArgumentException("a scatter over a density needs 2-D data, got dim = " + spec.dim());
        }
        if (resolution < 2) {
            throw new IllegalArgumentException("resolution = " + resolution + " is outside the allowed range [2, " + Integer.MAX_VALUE + "]");
        }
        double[][] logp = new double[resolution][resolution];
        double top = Double.NEGATIVE_INFINITY;
        double cell = (frame.max() - frame.min()) / resolution;
        double[] x = new double[2];
        for (int row = 0; row < resolution; row++) {
            x[1] = frame.max() - (row + 0.5) * cell;
            for (int col = 0; col < resolution; col++) {
                x[0] = frame.min() + (col + 0.5) * cell;
                logp[row][col] = spec.logDensity(x);
                top = Math.max(top, logp[row][col]);
            }
        }
        int[][] band = new int[resolution][resolution];
        for (int row = 0; row < resolution; row++) {
            for (int col = 0; col < resolution; col++) {
                // band BANDS holds the top BAND_NATS, band 0 everything below top - BANDS * BAND_NATS
                int b = BANDS - (int) Math.floor((top - logp[row][col]) / BAND_NATS);
                band[row][col] = Math.max(0, Math.min(BANDS, b));
            }
        }
        BufferedImage img = new BufferedImage(resolution, resolution, BufferedImage.TYPE_INT_RGB);
        for (int row = 0; row < resolution; row++) {
            for (int col = 0; col < resolution; col++) {
                int b = band[row][col];
                boolean edge = (col + 1 < resolution && band[row][col + 1] != b)
                        || (row + 1 < resolution && band[row + 1][col] != b);
                Color c = edge ? EDGE : mix(LOW, HIGH, b / (double) BANDS);
                img.setRGB(col, row, c.getRGB());
            }
        }
        return img;
    }

    /**
     * One panel: {@code points} ({@code n x 2}) as translucent dots over {@code background} (from
     * {@link #density}, or null for none), both axes fixed to {@code frame}; {@code size} pixels
     * wide and as high as makes the plotting area square (a little more than {@code size}).
     */
    public static BufferedImage render(String title, double[][] points, BufferedImage background, Frame frame, int size) {
        int outside = 0;
        int nonFinite = 0;
        int n = 0;
        double[][] xy = new double[2][points.length];
        for (double[] p : points) {
            if (p.length != 2) {
                throw new IllegalArgumentException("points must be n x 2, got a row of length " + p.length);
            }
            if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                nonFinite++;
                continue;
            }
            if (!frame.contains(p[0], p[1])) {
                outside++;
            }
            xy[0][n] = p[0];
            xy[1][n] = p[1];
            n++;
        }
        DefaultXYDataset data = new DefaultXYDataset();
        data.addSeries("samples", new double[][] {java.util.Arrays.copyOf(xy[0], n), java.util.Arrays.copyOf(xy[1], n)});

        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        dots.setSeriesShape(0, new Ellipse2D.Double(-1.4, -1.4, 2.8, 2.8));
        dots.setSeriesPaint(0, DOT);
        dots.setUseOutlinePaint(false);

        XYPlot plot = new XYPlot(data, axis(frame), axis(frame), dots);
        plot.setBackgroundPaint(Color.WHITE);
        if (background != null) {
            plot.setBackgroundImage(background);
            plot.setBackgroundImageAlignment(Align.FIT);
            plot.setBackgroundImageAlpha(1.0f);
        }
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setOutlinePaint(Color.GRAY);
        plot.setOutlineStroke(new BasicStroke(1f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setInsets(new RectangleInsets(4, 4, 4, 10));

        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getRenderingHints().put(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        StringBuilder note = new StringBuilder().append(points.length).append(" samples");
        if (outside > 0) {
            note.append(", ").append(outside).append(" outside the frame");
        }
        if (nonFinite > 0) {
            note.append(", ").append(nonFinite).append(" not finite");
        }
        TextTitle sub = new TextTitle(note.toString(), new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        sub.setPaint(outside > 0 || nonFinite > 0 ? new Color(170, 30, 30) : Color.GRAY);
        chart.addSubtitle(sub);
        // render once to measure the data area, then set the height that makes it square
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.createBufferedImage(size, size, BufferedImage.TYPE_INT_RGB, info);
        Rectangle2D area = info.getPlotInfo().getDataArea();
        int height = size + (int) Math.round(area.getWidth() - area.getHeight());
        return chart.createBufferedImage(size, height, BufferedImage.TYPE_INT_RGB, null);
    }

    /** {@link #render(String, double[][], BufferedImage, Frame, int)} with the density computed here. */
    public static BufferedImage render(String title, double[][] points, MixtureSpec spec, Frame frame, int size) {
        return render(title, points, density(spec, frame, Math.max(2, size - 40)), frame, size);
    }

    private static NumberAxis axis(Frame frame) {
        NumberAxis a = new NumberAxis(null);
        a.setRange(frame.min(), frame.max());
        a.setAutoRange(false);
        a.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        a.setTickMarkOutsideLength(3f);
        return a;
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color(
                (int) Math.round(a.getRed() + t * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + t * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + t * (b.getBlue() - a.getBlue())));
    }
}
