package io.trainchain.engine.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.MeetOrSlice;
import org.jfree.svg.PreserveAspectRatio;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Rectangle;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;

/**
 * The reports' charts: JFreeChart draws onto JFreeSVG's SVGGraphics2D and the SVG element is inlined into the page.
 * Only Java's logical font SansSerif is used, which JFreeSVG writes as the generic CSS family sans-serif, so the
 * browser takes a local font and never fetches one.
 */
final class Charts {

    /** One line of a chart: (x, y) points in order; NaN y values are left out. */
    record Series(String name, List<double[]> points) {
    }

    /** A vertical line at x with a label (an ASHA rung). */
    record Marker(double x, String label) {
    }

    private static final int[] TEN = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f,
        0xbcbd22, 0x17becf};
    private static final StandardChartTheme THEME = theme();

    private Charts() {
    }

    private static StandardChartTheme theme() {
        StandardChartTheme t = new StandardChartTheme("trainchain");
        t.setExtraLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        t.setLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        t.setRegularFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        t.setSmallFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        t.setChartBackgroundPaint(Color.WHITE);
        t.setPlotBackgroundPaint(Color.WHITE);
        t.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        t.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        // Matplotlib's ten colours: JFreeChart's default sequence has a yellow that vanishes on white.
        Paint[] palette = new Paint[TEN.length];
        for (int i = 0; i < TEN.length; i++) {
            palette[i] = new Color(TEN[i]);
        }
        t.setDrawingSupplier(new DefaultDrawingSupplier(palette, DefaultDrawingSupplier.DEFAULT_FILL_PAINT_SEQUENCE,
                DefaultDrawingSupplier.DEFAULT_OUTLINE_PAINT_SEQUENCE, DefaultDrawingSupplier.DEFAULT_STROKE_SEQUENCE,
                DefaultDrawingSupplier.DEFAULT_OUTLINE_STROKE_SEQUENCE, DefaultDrawingSupplier.DEFAULT_SHAPE_SEQUENCE));
        return t;
    }

    /** Lines by epoch (or any integer x), with optional vertical markers and a horizontal threshold line. */
    static String lines(String id, String title, String xLabel, String yLabel, List<Series> series,
                        List<Marker> verticals, Double threshold, String thresholdLabel) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            s.points().stream().filter(p -> Double.isFinite(p[1])).forEach(p -> xy.add(p[0], p[1]));
            data.addSeries(xy);
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        for (Marker m : verticals) {
            ValueMarker v = new ValueMarker(m.x(), new Color(0x99, 0x33, 0x99), dashed(1.5f));
            v.setLabel(m.label());
            v.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            v.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            v.setLabelBackgroundColor(new Color(255, 255, 255, 0));
            plot.addDomainMarker(v, Layer.FOREGROUND);
        }
        if (threshold != null) {
            ValueMarker h = new ValueMarker(threshold, new Color(0xCC, 0x33, 0x33), dashed(1.5f));
            h.setLabel(thresholdLabel);
            h.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
            h.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            h.setLabelBackgroundColor(new Color(255, 255, 255, 0));
            plot.addRangeMarker(h, Layer.FOREGROUND);
            // A marker does not widen the axis, and a gate above every curve is the case worth seeing.
            Range r = y.getRange();
            if (!r.contains(threshold)) {
                Range with = Range.expandToInclude(r, threshold);
                y.setRange(Range.expand(with, 0.05, 0.05));
            }
        }
        return svg(id, chart(title, plot, series.size() > 1), 560, 340);
    }

    /**
     * Points of a metric against one hyperparameter, one series per kind of point (completed, stopped).
     * Categorical values go on a symbol axis in the order given; a positive numeric range wider than 20x is
     * drawn on a log axis (learning rates).
     *
     * @param categories null for a numeric parameter; else the x of each point is an index into it
     */
    static String scatter(String id, String title, String xLabel, String yLabel, List<Series> series,
                          List<String> categories) {
        XYSeriesCollection data = new XYSeriesCollection();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (double[] p : s.points()) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                    xy.add(p[0], p[1]);
                    min = Math.min(min, p[0]);
                    max = Math.max(max, p[0]);
                }
            }
            data.addSeries(xy);
        }
        ValueAxis x;
        if (categories != null) {
            x = new SymbolAxis(xLabel, categories.toArray(String[]::new));
        } else if (min > 0 && max / min >= 20) {
            LogAxis log = new LogAxis(xLabel);
            log.setSmallestValue(min / 2);
            log.setNumberFormatOverride(new DecimalFormat("0.######", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            x = log;
        } else {
            NumberAxis n = new NumberAxis(xLabel);
            n.setAutoRangeIncludesZero(false);
            x = n;
        }
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, y, new XYLineAndShapeRenderer(false, true));
        return svg(id, chart(title, plot, true), 440, 300);
    }

    /**
     * A confusion matrix: rows the true class (top to bottom), columns the predicted one; each cell shaded by its
     * share of the row (so a small class is as readable as a large one) and labelled with its count.
     */
    static String heatMap(String id, String title, List<String> classes, int[][] matrix) {
        int n = classes.size();
        double[] xs = new double[n * n];
        double[] ys = new double[n * n];
        double[] zs = new double[n * n];
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(new WhiteToBlue());
        for (int row = 0; row < n; row++) {
            long total = 0;
            for (int c = 0; c < n; c++) {
                total += matrix[row][c];
            }
            for (int c = 0; c < n; c++) {
                int i = row * n + c;
                xs[i] = c;
                ys[i] = row;
                zs[i] = total == 0 ? 0 : matrix[row][c] / (double) total;
                XYTextAnnotation label = new XYTextAnnotation(Integer.toString(matrix[row][c]), c, row);
                label.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                label.setPaint(zs[i] > 0.55 ? Color.WHITE : Color.BLACK);
                renderer.addAnnotation(label);
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("cells", new double[][]{xs, ys, zs});
        SymbolAxis predicted = new SymbolAxis("predicted class", classes.toArray(String[]::new));
        predicted.setVerticalTickLabels(true);
        predicted.setGridBandsVisible(false);
        SymbolAxis actual = new SymbolAxis("true class", classes.toArray(String[]::new));
        actual.setInverted(true); // the first class on top, as the matrix is read
        actual.setGridBandsVisible(false);
        XYPlot plot = new XYPlot(data, predicted, actual, renderer);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        int side = Math.max(360, 44 * n + 170);
        return svg(id, chart(title, plot, false), side + 40, side);
    }

    private static JFreeChart chart(String title, XYPlot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, legend);
        THEME.apply(chart);
        return chart;
    }

    private static String svg(String id, JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        // Clip path ids must differ between the charts of one page; the chart's id does, and keeps pages reproducible.
        g.setDefsKeyPrefix(id + "-");
        g.setGeomDoubleConverter(Charts::twoDecimals); // a hundredth of a pixel is plenty; halves the file
        chart.draw(g, new Rectangle(0, 0, width, height));
        // Without width and height attributes the page's CSS scales the chart; the view box keeps its shape.
        return g.getSVGElement(id, false, new ViewBox(0, 0, width, height), PreserveAspectRatio.XMID_YMID,
                MeetOrSlice.MEET);
    }

    private static String twoDecimals(double d) {
        long r = Math.round(d * 100);
        return r % 100 == 0 ? Long.toString(r / 100) : Double.toString(r / 100.0);
    }

    private static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f);
    }

    /** Shares 0..1 from white to a dark blue. */
    private static final class WhiteToBlue implements PaintScale {
        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            double v = Math.max(0, Math.min(1, Double.isFinite(value) ? value : 0));
            return new Color((int) (255 - 222 * v), (int) (255 - 172 * v), (int) (255 - 100 * v));
        }
    }
}
