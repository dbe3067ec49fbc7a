package dev.distillery.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.block.RectangleConstraint;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The quality-versus-cost frontier: a row of panels (one per metric) with a logarithmic cost axis
 * (NFE or seconds), the teacher's samplers as solid lines, the students as dashed lines through
 * their step counts, and the real-data floor of each metric as a dashed grey line; one shared
 * legend under the panels.
 */
public final class FrontierPlot {

    /** Colours of the reference (teacher) curves: dark, so the students' palette stays distinct. */
    private static final Color[] REFERENCE = {Color.BLACK, new Color(120, 120, 120), new Color(140, 70, 20), new Color(40, 40, 140)};
    private static final Color[] STUDENT = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(227, 119, 194), new Color(188, 189, 34), new Color(23, 190, 207),
        new Color(174, 199, 232), new Color(255, 187, 120), new Color(152, 223, 138), new Color(255, 152, 150),
        new Color(197, 176, 213), new Color(196, 156, 148), new Color(247, 182, 210), new Color(219, 219, 141)};

    /**
     * One curve of a panel.
     *
     * @param name      legend entry
     * @param x         costs (positive; others are left out on the log axis)
     * @param y         metric values, same length
     * @param reference true for a teacher sampler (solid), false for a student (dashed)
     * @param low       lower ends of the points' intervals (e.g. over seeds), or null for none
     * @param high      upper ends, or null for none
     */
    public record Curve(String name, double[] x, double[] y, boolean reference, double[] low, double[] high) {
        public Curve {
            Objects.requireNonNull(name, "name");
            if (x.length != y.length) {
                throw new IllegalArgumentException("curve '" + name + "': " + x.length + " x but " + y.length + " y");
            }
            if ((low == null) != (high == null) || (low != null && (low.length != y.length || high.length != y.length))) {
                throw new IllegalArgumentException("curve '" + name + "': an interval needs a low and a high per point");
            }
        }

        /** A curve without intervals. */
        public Curve(String name, double[] x, double[] y, boolean reference) {
            this(name, x, y, reference, null, null);
        }

        /** Whether the points carry intervals (drawn as error bars). */
        public boolean hasIntervals() {
            return low != null;
        }
    }

    /**
     * One panel.
     *
     * @param metric y-axis label
     * @param curves in legend order (every panel should list the same names in the same order)
     * @param floor  the real-data value of the metric, drawn as a line (NaN: none)
     * @param logY   logarithmic y axis (non-positive values are left out)
     */
    public record Panel(String metric, List<Curve> curves, double floor, boolean logY) {
        public Panel {
            curves = List.copyOf(curves);
        }
    }

    private FrontierPlot() {
    }

    /** The panels side by side with the legend of the first under them. */
    public static BufferedImage render(String title, String xLabel, List<Panel> panels, int panelWidth, int panelHeight) {
        BufferedImage[][] row = new BufferedImage[1][panels.size()];
        XYPlot first = null;
        for (int i = 0; i < panels.size(); i++) {
            XYPlot plot = plot(xLabel, panels.get(i));
            first = first == null ? plot : first;
            JFreeChart chart = new JFreeChart(panels.get(i).metric(), new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, false);
            chart.setBackgroundPaint(Color.WHITE);
            row[0][i] = chart.createBufferedImage(panelWidth, panelHeight, BufferedImage.TYPE_INT_RGB, null);
        }
        BufferedImage charts = ImageGrid.compose(row, 4);
        BufferedImage legend = legend(first, charts.getWidth());
        BufferedImage head = titleStrip(title, charts.getWidth());
        BufferedImage out = new BufferedImage(charts.getWidth(), head.getHeight() + charts.getHeight() + legend.getHeight(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(head, 0, 0, null);
        g.drawImage(charts, 0, head.getHeight(), null);
        g.drawImage(legend, 0, head.getHeight() + charts.getHeight(), null);
        g.dispose();
        return out;
    }

    private static XYPlot plot(String xLabel, Panel panel) {
        // error bars only where some curve has intervals, so the demo's plain figure keeps its look
        boolean intervals = panel.curves().stream().anyMatch(Curve::hasIntervals);
        XYSeriesCollection plain = new XYSeriesCollection();
        YIntervalSeriesCollection withBars = new YIntervalSeriesCollection();
        XYLineAndShapeRenderer r = intervals ? new XYErrorRenderer() : new XYLineAndShapeRenderer(true, true);
        if (r instanceof XYErrorRenderer e) {
            e.setDrawXError(false);
            e.setDefaultLinesVisible(true);
        }
        int refs = 0;
        int students = 0;
        int k = -1;
        for (Curve c : panel.curves()) {
            XYSeries s = new XYSeries(c.name(), false, true);
            YIntervalSeries bars = new YIntervalSeries(c.name(), false, true);
            for (int i = 0; i < c.x().length; i++) {
                if (c.x()[i] > 0 && Double.isFinite(c.x()[i]) && Double.isFinite(c.y()[i]) && (!panel.logY() || c.y()[i] > 0)) {
                    s.add(c.x()[i], c.y()[i], false);
                    double lo = c.hasIntervals() && Double.isFinite(c.low()[i]) ? c.low()[i] : c.y()[i];
                    double hi = c.hasIntervals() && Double.isFinite(c.high()[i]) ? c.high()[i] : c.y()[i];
                    // a log axis cannot show an interval reaching zero: cut it at the point
                    bars.add(c.x()[i], c.y()[i], panel.logY() && lo <= 0 ? c.y()[i] : lo, hi);
                }
            }
            plain.addSeries(s);
            withBars.addSeries(bars);
            k++;
            if (c.reference()) {
                r.setSeriesPaint(k, REFERENCE[refs++ % REFERENCE.length]);
                r.setSeriesStroke(k, new BasicStroke(2.2f));
            } else {
                r.setSeriesPaint(k, STUDENT[students++ % STUDENT.length]);
                r.setSeriesStroke(k, new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                        new float[] {5f, 3f}, 0f));
            }
        }
        LogarithmicAxis x = new LogarithmicAxis(xLabel);
        x.setStrictValuesFlag(false);
        x.setAllowNegativesFlag(false);
        ValueAxis y = ChartStyle.valueAxis(panel.metric(), panel.logY());
        XYPlot plot = ChartStyle.plot(intervals ? withBars : plain, x, y, r);
        if (Double.isFinite(panel.floor()) && (!panel.logY() || panel.floor() > 0)) {
            ValueMarker m = new ValueMarker(panel.floor(), new Color(90, 90, 90), new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1f, new float[] {2f, 3f}, 0f));
            m.setLabel("real data");
            m.setLabelFont(new Font(Font.SANS_SERIF, Font.ITALIC, 11));
            m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
            plot.addRangeMarker(m);
            // keep the floor inside the visible range
            Range range = y.getRange();
            if (!range.contains(panel.floor())) {
                y.setRange(Range.expandToInclude(range, panel.floor()));
                range = y.getRange();
            }
            // the label on the side of the line with room: under it when the floor is near the top
            double position = panel.logY() ? (Math.log(panel.floor()) - Math.log(range.getLowerBound()))
                    / (Math.log(range.getUpperBound()) - Math.log(range.getLowerBound()))
                    : (panel.floor() - range.getLowerBound()) / range.getLength();
            m.setLabelAnchor(RectangleAnchor.RIGHT);
            m.setLabelTextAnchor(position > 0.5 ? TextAnchor.TOP_RIGHT : TextAnchor.BOTTOM_RIGHT);
        }
        return plot;
    }

    private static BufferedImage legend(XYPlot plot, int width) {
        LegendTitle legend = new LegendTitle(plot);
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        legend.setFrame(BlockBorder.NONE);
        legend.setBackgroundPaint(Color.WHITE);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        var size = legend.arrange(pg, new RectangleConstraint(width - 20, new Range(0, 2000)));
        pg.dispose();
        int h = (int) Math.ceil(size.height) + 8;
        BufferedImage img = new BufferedImage(width, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, h);
        legend.draw(g, new Rectangle2D.Double(10, 4, width - 20, size.height));
        g.dispose();
        return img;
    }

    private static BufferedImage titleStrip(String title, int width) {
        BufferedImage img = new BufferedImage(width, 26, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, 26);
        g.setColor(Color.BLACK);
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 8, 19);
        g.dispose();
        return img;
    }
}
