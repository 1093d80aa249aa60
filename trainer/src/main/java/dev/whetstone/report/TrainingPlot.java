package dev.whetstone.report;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A two-panel PNG drawn with XChart: training loss per step (left) and dev nDCG@10 per evaluation
 * (right). Rendered to an image in memory, so it needs no display.
 */
final class TrainingPlot {
  private static final int PANEL_WIDTH = 480;
  private static final int HEIGHT = 360;

  private TrainingPlot() {}

  static void write(TrainingReport report, Path file) throws IOException {
    XYChart loss = panel("Training loss", "loss", report.steps(),
        TrainingReport.StepRecord::step, TrainingReport.StepRecord::loss, new Color(0x1f77b4),
        SeriesMarkers.NONE);
    // a handful of evaluations: each one marked
    XYChart ndcg = panel("Dev nDCG@10", "nDCG@10", report.evaluations(),
        TrainingReport.EvalRecord::step, e -> e.dev().ndcg10(), new Color(0xd62728),
        SeriesMarkers.CIRCLE);
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(List.of(loss, ndcg), 1, 2, out, BitmapFormat.PNG);
    }
  }

  private static <T> XYChart panel(String title, String yTitle, List<T> records,
      ToDoubleFunction<T> x, ToDoubleFunction<T> y, Color color, Marker marker) {
    XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(HEIGHT).title(title)
        .xAxisTitle("step").yAxisTitle(yTitle).build();
    XYStyler style = chart.getStyler();
    style.setLegendVisible(false);
    style.setChartBackgroundColor(Color.WHITE);
    style.setPlotBackgroundColor(Color.WHITE);
    style.setPlotGridLinesColor(new Color(0xe0e0e0));
    style.setSeriesColors(new Color[] {color});
    style.setXAxisDecimalPattern("#");
    style.setYAxisDecimalPattern("0.0##");
    if (records.isEmpty()) {
      chart.setTitle(title + " (no data)");
      return chart;
    }
    // XChart refuses infinities: a diverged step is a gap in the line, as NaN is
    chart.addSeries(yTitle, records.stream().mapToDouble(x).toArray(), records.stream()
        .mapToDouble(y).map(v -> Double.isInfinite(v) ? Double.NaN : v).toArray()).setMarker(marker);
    return chart;
  }
}
