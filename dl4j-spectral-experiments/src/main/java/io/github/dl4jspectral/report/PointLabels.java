package io.github.dl4jspectral.report;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.TextAnchor;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Places the point labels of a {@link Charts} chart: each label lies inside the plot's data area and overlaps no
 * other label and no point (marker and error bar). A label goes next to its point (above, below, right, left, then
 * the corners, then one line further out), in the first place that is free; where none is, the axes' margins grow
 * and the chart is laid out again. The labels become text annotations of the plot.
 */
final class PointLabels {

    static final Font FONT = new Font("SansSerif", Font.PLAIN, 11);
    /** Half the side of the square the renderer draws at a point, plus a pixel. */
    private static final double MARKER = 4;
    /** Space between a point and its label, and around a label's text. */
    private static final double GAP = 3;
    private static final double MARGIN_STEP = 0.04;
    private static final int ATTEMPTS = 12;

    /**
     * Where everything went, in pixels of the chart image: the data area, each label's box (in the order of the
     * labelled points) and each point's box (marker and error bar).
     */
    record Layout(Rectangle2D dataArea, List<String> texts, List<Rectangle2D> labels, List<Rectangle2D> points) {
    }

    private record Point(double x, double y, double low, double high, String label) {
    }

    private PointLabels() {
    }

    /**
     * Adds the labels of {@code series} to {@code chart} (drawn {@code width} x {@code height} pixels) and returns
     * where they are. With room for every label in no layout tried, the labels that found no free place are put
     * above their point.
     */
    static Layout place(JFreeChart chart, List<Charts.Series> series, int width, int height) {
        List<Point> points = new ArrayList<>();
        for (Charts.Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                double spread = s.spread() == null ? 0 : s.spread()[i];
                points.add(new Point(s.x()[i], s.y()[i], s.y()[i] - spread, s.y()[i] + spread,
                        s.labels() == null ? null : s.labels().get(i)));
            }
        }
        XYPlot plot = chart.getXYPlot();
        Layout layout = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Attempt a = new Attempt(chart, points, width, height);
            layout = a.layout;
            if (a.crowded.isEmpty()) {
                break;
            }
            grow(plot.getDomainAxis(), a.crowded.contains(Side.LEFT), a.crowded.contains(Side.RIGHT));
            grow(plot.getRangeAxis(), a.crowded.contains(Side.BOTTOM), a.crowded.contains(Side.TOP));
        }
        Rectangle2D area = layout.dataArea();
        for (int i = 0; i < layout.labels().size(); i++) {
            Rectangle2D box = layout.labels().get(i);
            XYTextAnnotation text = new XYTextAnnotation(layout.texts().get(i),
                    plot.getDomainAxis().java2DToValue(box.getCenterX(), area, plot.getDomainAxisEdge()),
                    plot.getRangeAxis().java2DToValue(box.getCenterY(), area, plot.getRangeAxisEdge()));
            text.setFont(FONT);
            text.setTextAnchor(TextAnchor.CENTER);
            plot.addAnnotation(text);
        }
        return layout;
    }

    private static void grow(ValueAxis axis, boolean lower, boolean upper) {
        if (lower) {
            axis.setLowerMargin(axis.getLowerMargin() + MARGIN_STEP);
        }
        if (upper) {
            axis.setUpperMargin(axis.getUpperMargin() + MARGIN_STEP);
        }
    }

    private enum Side { LEFT, RIGHT, TOP, BOTTOM }

    /** One layout of the chart as it is now, and the sides of the data area a label found no room at. */
    private static final class Attempt {
        final Layout layout;
        final List<Side> crowded = new ArrayList<>();

        Attempt(JFreeChart chart, List<Point> points, int width, int height) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            ChartRenderingInfo info = new ChartRenderingInfo();
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height), info);
            FontMetrics metrics = g.getFontMetrics(FONT);
            g.dispose();
            Rectangle2D area = info.getPlotInfo().getDataArea();
            XYPlot plot = chart.getXYPlot();
            List<Rectangle2D> pointBoxes = new ArrayList<>();
            for (Point p : points) {
                double x = plot.getDomainAxis().valueToJava2D(p.x(), area, plot.getDomainAxisEdge());
                double top = plot.getRangeAxis().valueToJava2D(p.high(), area, plot.getRangeAxisEdge());
                double bottom = plot.getRangeAxis().valueToJava2D(p.low(), area, plot.getRangeAxisEdge());
                pointBoxes.add(new Rectangle2D.Double(x - MARKER, top - MARKER, 2 * MARKER, bottom - top + 2 * MARKER));
            }
            List<String> texts = new ArrayList<>();
            List<Rectangle2D> labels = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                String text = points.get(i).label();
                if (text == null) {
                    continue;
                }
                double w = metrics.stringWidth(text) + 2 * GAP;
                double h = metrics.getAscent() + metrics.getDescent() + 2 * GAP;
                Rectangle2D point = pointBoxes.get(i);
                Rectangle2D chosen = null;
                List<Rectangle2D> candidates = candidates(point, w, h);
                for (Rectangle2D c : candidates) {
                    if (area.contains(c) && labels.stream().noneMatch(c::intersects)
                            && pointBoxes.stream().noneMatch(c::intersects)) {
                        chosen = c;
                        break;
                    }
                }
                if (chosen == null) {
                    chosen = candidates.get(0);
                    crowd(area, point, w, h);
                }
                texts.add(text);
                labels.add(chosen);
            }
            layout = new Layout(area, texts, labels, pointBoxes);
        }

        /**
         * Notes the sides of {@code area} that cut a w x h label centred above {@code point}; none: the label is
         * hemmed in by others, and more room on every side spreads the points.
         */
        private void crowd(Rectangle2D area, Rectangle2D point, double w, double h) {
            add(point.getCenterX() - w / 2 < area.getMinX(), Side.LEFT);
            add(point.getCenterX() + w / 2 > area.getMaxX(), Side.RIGHT);
            add(point.getMinY() - GAP - h < area.getMinY(), Side.TOP);
            add(point.getMaxY() + GAP + h > area.getMaxY(), Side.BOTTOM);
            if (crowded.isEmpty()) {
                crowded.addAll(List.of(Side.values()));
            }
        }

        private void add(boolean crowdedSide, Side side) {
            if (crowdedSide && !crowded.contains(side)) {
                crowded.add(side);
            }
        }

        /** Boxes for a w x h label around {@code point}, nearest and most readable first. */
        private static List<Rectangle2D> candidates(Rectangle2D point, double w, double h) {
            List<Rectangle2D> out = new ArrayList<>();
            double cx = point.getCenterX();
            double cy = point.getCenterY();
            for (int ring = 0; ring < 2; ring++) {
                double above = point.getMinY() - GAP - h - ring * h;
                double below = point.getMaxY() + GAP + ring * h;
                double right = point.getMaxX() + GAP + ring * h;
                double left = point.getMinX() - GAP - w - ring * h;
                out.add(new Rectangle2D.Double(cx - w / 2, above, w, h));
                out.add(new Rectangle2D.Double(cx - w / 2, below, w, h));
                out.add(new Rectangle2D.Double(right, cy - h / 2, w, h));
                out.add(new Rectangle2D.Double(left, cy - h / 2, w, h));
                out.add(new Rectangle2D.Double(point.getMinX(), above, w, h));
                out.add(new Rectangle2D.Double(point.getMaxX() - w, above, w, h));
                out.add(new Rectangle2D.Double(point.getMinX(), below, w, h));
                out.add(new Rectangle2D.Double(point.getMaxX() - w, below, w, h));
            }
            return out;
        }
    }
}
