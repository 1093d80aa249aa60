package dev.whetstone.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A two-panel PNG: training loss per step (left) and dev nDCG@10 per evaluation (right). Drawn
 * with Java2D so the report needs no plotting dependency and no display.
 */
final class TrainingPlot {
  private static final int PANEL_WIDTH = 480;
  private static final int HEIGHT = 360;
  private static final int MARGIN = 56;

  private TrainingPlot() {}

  static void write(TrainingReport report, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(2 * PANEL_WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      List<TrainingReport.StepRecord> steps = report.steps();
      panel(g, 0, "training loss", "step",
          steps.stream().mapToDouble(TrainingReport.StepRecord::step).toArray(),
          steps.stream().mapToDouble(TrainingReport.StepRecord::loss).toArray(),
          new Color(0x1f77b4));
      List<TrainingReport.EvalRecord> evals = report.evaluations();
      panel(g, PANEL_WIDTH, "dev nDCG@10", "step",
          evals.stream().mapToDouble(TrainingReport.EvalRecord::step).toArray(),
          evals.stream().mapToDouble(e -> e.dev().ndcg10()).toArray(), new Color(0xd62728));
    } finally {
      g.dispose();
    }
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer available for " + file);
    }
  }

  private static void panel(Graphics2D g, int left, String title, String xLabel, double[] x,
      double[] y, Color color) {
    int x0 = left + MARGIN;
    int y0 = HEIGHT - MARGIN;
    int width = PANEL_WIDTH - 2 * MARGIN;
    int height = HEIGHT - 2 * MARGIN;
    g.setColor(Color.BLACK);
    g.drawString(title, x0, MARGIN - 16);
    g.drawString(xLabel, x0 + width / 2, HEIGHT - 16);
    g.drawRect(x0, MARGIN, width, height);
    if (x.length == 0) {
      g.drawString("no data", x0 + width / 2 - 20, MARGIN + height / 2);
      return;
    }
    double minX = min(x);
    double maxX = Math.max(max(x), minX + 1);
    double minY = min(y);
    double maxY = max(y);
    if (maxY - minY < 1e-9) {
      minY -= 0.5;
      maxY += 0.5;
    }
    g.drawString(String.format(Locale.ROOT, "%.3f", maxY), left + 4, MARGIN + 4);
    g.drawString(String.format(Locale.ROOT, "%.3f", minY), left + 4, y0);
    g.drawString(String.format(Locale.ROOT, "%.0f", minX), x0, y0 + 14);
    g.drawString(String.format(Locale.ROOT, "%.0f", maxX), x0 + width - 20, y0 + 14);
    g.setColor(color);
    g.setStroke(new BasicStroke(1.5f));
    Path2D.Double line = new Path2D.Double();
    for (int i = 0; i < x.length; i++) {
      double px = x0 + (x[i] - minX) / (maxX - minX) * width;
      double py = y0 - (y[i] - minY) / (maxY - minY) * height;
      if (i == 0) {
        line.moveTo(px, py);
      } else {
        line.lineTo(px, py);
      }
      g.fillOval((int) px - 2, (int) py - 2, 5, 5);
    }
    g.draw(line);
  }

  private static double min(double[] values) {
    double min = Double.POSITIVE_INFINITY;
    for (double v : values) {
      min = Math.min(min, v);
    }
    return min;
  }

  private static double max(double[] values) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      max = Math.max(max, v);
    }
    return max;
  }
}
