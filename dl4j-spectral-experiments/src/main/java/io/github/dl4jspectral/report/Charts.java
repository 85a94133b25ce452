package io.github.dl4jspectral.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.Color;
import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * PNG charts of results, drawn with JFreeChart (headless): lines of points with optional error bars, one
 * line per series, linear or logarithmic x axis. The labels of a labelled series are placed by {@link PointLabels}:
 * inside the plot area, clear of each other and of every point.
 */
public final class Charts {

    /** Chart size in pixels. */
    public static final int WIDTH = 900;
    public static final int HEIGHT = 560;

    /**
     * One line of the chart.
     *
     * @param name   legend entry
     * @param x      x of each point
     * @param y      y of each point
     * @param spread half-height of each point's error bar (e.g. the standard deviation over seeds), or null
     * @param labels a label drawn at each point, or null; a labelled series is drawn as points only
     *               (its points are separate models, not a curve)
     */
    public record Series(String name, double[] x, double[] y, double[] spread, List<String> labels) {
        public Series {
            if (x.length != y.length || (spread != null && spread.length != x.length)
                    || (labels != null && labels.size() != x.length)) {
                throw new IllegalArgumentException("series " + name + ": x, y, spread and labels differ in length");
            }
        }

        public static Series of(String name, double[] x, double[] y) {
            return new Series(name, x, y, null, null);
        }
    }

    private Charts() {
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * Draws the series into a PNG file.
     *
     * @param logX logarithmic x axis (e.g. for parameter counts)
     */
    public static void write(Path png, String title, String xLabel, String yLabel, List<Series> series, boolean logX)
            throws IOException {
        JFreeChart chart = chart(title, xLabel, yLabel, series, logX);
        PointLabels.place(chart, series, WIDTH, HEIGHT);
        AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
    }

    /** The chart of {@code series} without point labels. */
    static JFreeChart chart(String title, String xLabel, String yLabel, List<Series> series, boolean logX) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Series s : series) {
            YIntervalSeries line = new YIntervalSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                double d = s.spread() == null ? 0 : s.spread()[i];
                line.add(s.x()[i], s.y()[i], s.y()[i] - d, s.y()[i] + d);
            }
            data.addSeries(line);
        }
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDefaultLinesVisible(true);
        renderer.setDefaultShapesVisible(true);
        renderer.setDrawXError(false);
        for (int i = 0; i < series.size(); i++) {
            if (series.get(i).labels() != null) {
                renderer.setSeriesLinesVisible(i, false);
            }
        }
        ValueAxis xAxis;
        if (logX) {
            LogAxis log = new LogAxis(xLabel);
            log.setTickUnit(new NumberTickUnit(1.0)); // one tick per decade
            log.setNumberFormatOverride(new DecimalFormat("#,##0"));
            xAxis = log;
        } else {
            NumberAxis linear = new NumberAxis(xLabel);
            linear.setAutoRangeIncludesZero(false);
            xAxis = linear;
        }
        NumberAxis yAxis = new NumberAxis(yLabel);
        yAxis.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
