package io.github.dl4jspectral.report;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartsTest {

    /**
     * The demo's compare chart: a label for the leftmost point ("eigenvalues-out") and two nearly coincident points
     * ("dense" and "full": 397,510 and 399,304 parameters, accuracies 0.0005 apart).
     */
    private static final List<String> MODELS = List.of("dense", "eigenvalues-out", "eigenvalues", "full", "low-rank-32",
            "sparse-0.1", "sparse-dense-0.1");
    private static final double[] PARAMETERS = {397_510, 1_020, 2_304, 399_304, 47_882, 45_903, 44_619};
    private static final double[] ACCURACY = {0.8045, 0.7645, 0.7785, 0.8040, 0.8110, 0.8215, 0.8240};

    private static List<Charts.Series> demo() {
        return List.of(new Charts.Series("784-500-10, 3 epoch(s)", PARAMETERS, ACCURACY, null, MODELS));
    }

    private static JFreeChart demoChart() {
        return Charts.chart("Fashion-MNIST: test accuracy against trainable parameters", "trainable parameters (log)",
                "test accuracy", demo(), true);
    }

    @Test
    void labelsLieInsideThePlotClearOfEachOtherAndOfEveryPoint() {
        JFreeChart chart = demoChart();
        PointLabels.Layout layout = PointLabels.place(chart, demo(), Charts.WIDTH, Charts.HEIGHT);
        assertEquals(MODELS, layout.texts());
        assertLegible(layout.dataArea(), layout.labels(), layout.points());

        // the annotations are where the layout says, in the chart as it is drawn
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage image = new BufferedImage(Charts.WIDTH, Charts.HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        chart.draw(g, new Rectangle2D.Double(0, 0, Charts.WIDTH, Charts.HEIGHT), info);
        g.dispose();
        assertEquals(layout.dataArea(), info.getPlotInfo().getDataArea(), "the annotations do not move the data area");
        XYPlot plot = chart.getXYPlot();
        List<XYAnnotation> annotations = plot.getAnnotations();
        assertEquals(MODELS.size(), annotations.size());
        for (int i = 0; i < annotations.size(); i++) {
            XYTextAnnotation text = (XYTextAnnotation) annotations.get(i);
            Rectangle2D box = layout.labels().get(i);
            assertEquals(MODELS.get(i), text.getText());
            double x = plot.getDomainAxis().valueToJava2D(text.getX(), layout.dataArea(), plot.getDomainAxisEdge());
            double y = plot.getRangeAxis().valueToJava2D(text.getY(), layout.dataArea(), plot.getRangeAxisEdge());
            assertEquals(box.getCenterX(), x, 0.5, "x of " + text.getText());
            assertEquals(box.getCenterY(), y, 0.5, "y of " + text.getText());
        }
    }

    /** The same data with every label centred above its point (JFreeChart's item labels) clips and collides. */
    @Test
    void theDemoDataDefeatsLabelsCentredAbovePoints() {
        JFreeChart chart = demoChart();
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage image = new BufferedImage(Charts.WIDTH, Charts.HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        chart.draw(g, new Rectangle2D.Double(0, 0, Charts.WIDTH, Charts.HEIGHT), info);
        FontMetrics metrics = g.getFontMetrics(PointLabels.FONT);
        g.dispose();
        Rectangle2D area = info.getPlotInfo().getDataArea();
        XYPlot plot = chart.getXYPlot();
        List<Rectangle2D> labels = new ArrayList<>();
        for (int i = 0; i < MODELS.size(); i++) {
            double x = plot.getDomainAxis().valueToJava2D(PARAMETERS[i], area, plot.getDomainAxisEdge());
            double y = plot.getRangeAxis().valueToJava2D(ACCURACY[i], area, plot.getRangeAxisEdge());
            double w = metrics.stringWidth(MODELS.get(i));
            double h = metrics.getHeight();
            labels.add(new Rectangle2D.Double(x - w / 2, y - 5 - h, w, h));
        }
        assertFalse(area.contains(labels.get(1)), "eigenvalues-out centred above its point leaves the plot");
        assertTrue(labels.get(0).intersects(labels.get(3)), "dense and full centred above their points overlap");
    }

    @Test
    void writesAPngOfTheChartSize(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("compare.png");
        Charts.write(png, "t", "x", "y", demo(), true);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
    }

    private static void assertLegible(Rectangle2D area, List<Rectangle2D> labels, List<Rectangle2D> points) {
        for (int i = 0; i < labels.size(); i++) {
            Rectangle2D a = labels.get(i);
            assertTrue(area.contains(a), MODELS.get(i) + " at " + a + " outside the data area " + area);
            for (int j = 0; j < labels.size(); j++) {
                assertTrue(i == j || !a.intersects(labels.get(j)), MODELS.get(i) + " overlaps " + MODELS.get(j));
            }
            for (int j = 0; j < points.size(); j++) {
                assertFalse(a.intersects(points.get(j)), MODELS.get(i) + " covers the point of " + MODELS.get(j));
            }
        }
    }
}
