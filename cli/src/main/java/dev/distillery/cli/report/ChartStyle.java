package dev.distillery.cli.report;

import java.awt.Color;
import java.awt.Font;

import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.data.xy.XYDataset;

/** The look every line chart of a report shares: its value axis and a white, lightly gridded plot. */
final class ChartStyle {
    private ChartStyle() {
    }

    /**
     * A value axis labelled {@code label}: logarithmic (not snapped to powers of ten, tolerant of
     * values at or below zero) or linear (not forced to include zero).
     */
    static ValueAxis valueAxis(String label, boolean log) {
        if (log) {
            LogarithmicAxis axis = new LogarithmicAxis(label);
            axis.setStrictValuesFlag(false);
            axis.setAutoRangeNextLogFlag(false);
            return axis;
        }
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        return axis;
    }

    /** The plot of {@code data} on axes {@code x} and {@code y}, with the shared fonts, colours and grid. */
    static XYPlot plot(XYDataset data, ValueAxis x, ValueAxis y, XYItemRenderer renderer) {
        Font tick = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        x.setTickLabelFont(tick);
        y.setTickLabelFont(tick);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(225, 225, 225));
        plot.setRangeGridlinePaint(new Color(225, 225, 225));
        plot.setOutlinePaint(Color.GRAY);
        return plot;
    }
}
