package dev.whetstone.console;

import java.io.PrintStream;
import java.util.Locale;

/** One self-overwriting status line: {@code [#####.....] done/total unit, rate/s, ETA}. */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long MIN_REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final String unit;
  private final long startDone;
  private final long startNanos = System.nanoTime();
  private long total;
  private long lastDrawNanos;

  public ProgressBar(PrintStream out, String unit, long total) {
    this(out, unit, total, 0);
  }

  /** A bar for work of which {@code alreadyDone} units were done before (a resumed run). */
  public ProgressBar(PrintStream out, String unit, long total, long alreadyDone) {
    this.out = out;
    this.unit = unit;
    this.total = total;
    this.startDone = alreadyDone;
  }

  /** The work grew or shrank (a plan fitted to a time budget); rate and ETA carry on. */
  public void resize(long newTotal) {
    this.total = newTotal;
  }

  /** Redraws at most five times a second, and always at the end. */
  public void update(long done) {
    long now = System.nanoTime();
    if (done < total && now - lastDrawNanos < MIN_REDRAW_NANOS) {
      return;
    }
    lastDrawNanos = now;
    double seconds = (now - startNanos) / 1e9;
    double rate = seconds > 0 ? (done - startDone) / seconds : 0;
    int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
    String eta = rate > 0 ? duration((total - done) / rate) : "?";
    // slow jobs (a training step takes seconds) read better as seconds per unit
    String speed = rate >= 1 || rate == 0 ? String.format(Locale.ROOT, "%.1f %s/s", rate, unit)
        : String.format(Locale.ROOT, "%.1f s/%s", 1 / rate, unit.replaceAll("s$", ""));
    out.printf(Locale.ROOT, "\r[%s%s] %d/%d %s  %s  ETA %s ", "#".repeat(filled),
        ".".repeat(WIDTH - filled), done, total, unit, speed, eta);
    if (done >= total) {
      out.println();
    }
    out.flush();
  }

  /** {@code m:ss}. */
  public static String duration(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
