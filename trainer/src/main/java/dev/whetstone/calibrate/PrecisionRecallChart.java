package dev.whetstone.calibrate;

import dev.whetstone.calibration.CosineAdapter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The precision–recall curves of a {@link FilterComparison}'s threshold methods (raw score, Platt
 * scaling, Cosine Adapter) and its top-k points on the test queries, as a PNG (XChart).
 */
final class PrecisionRecallChart {
  private final List<LabeledHits> test;
  private final CosineAdapter adapter;
  private final CosineAdapter platt;

  PrecisionRecallChart(List<LabeledHits> test, CosineAdapter adapter, CosineAdapter platt) {
    this.test = test;
    this.adapter = adapter;
    this.platt = platt;
  }

  void write(Path file, String title) throws IOException {
    XYChart chart = new XYChartBuilder().width(640).height(480).title(title)
        .xAxisTitle("recall").yAxisTitle("precision").build();
    chart.getStyler().setMarkerSize(6);
    chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
    addCurve(chart, "raw-score threshold", Calibrator.rawScores(test));
    addCurve(chart, "Platt scaling", Calibrator.relevance(platt, test));
    addCurve(chart, "Cosine Adapter", Calibrator.relevance(adapter, test));
    List<Double> recall = new ArrayList<>();
    List<Double> precision = new ArrayList<>();
    for (int k : new int[] {1, 2, 3, 5, 10, 20, 50, 100}) {
      FilterMetrics.Result result = FilterMetrics.topK(test, k);
      recall.add(result.recall());
      precision.add(result.precision());
    }
    chart.addSeries("top-k (1, 2, 3, 5, 10, 20, 50, 100)", recall, precision)
        .setMarker(SeriesMarkers.DIAMOND).setLineStyle(SeriesLines.NONE);
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG);
    }
  }

  private void addCurve(XYChart chart, String name, double[][] values) {
    FilterMetrics.Curve curve = FilterMetrics.curve(test, values);
    // every 25th point is enough for a smooth line and a small file
    List<Double> recall = new ArrayList<>();
    List<Double> precision = new ArrayList<>();
    for (int i = 0; i < curve.recall().length; i += 25) {
      recall.add(curve.recall()[i]);
      precision.add(curve.precision()[i]);
    }
    chart.addSeries(name, recall, precision).setMarker(SeriesMarkers.NONE);
  }
}
