package dev.whetstone.clicks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A click log reduced to impressions and clicks per (query text, document, rank): all that the
 * position-based model and intervention harvesting read, and far smaller than the log.
 */
final class PositionCounts {
  /** Counts of one (query text, document) pair at one 1-based rank. */
  record Cell(int pair, int rank, long impressions, long clicks) {}

  final int pairs;
  final int depth;
  final List<Cell> cells;

  private PositionCounts(int pairs, int depth, List<Cell> cells) {
    this.pairs = pairs;
    this.depth = depth;
    this.cells = cells;
  }

  static PositionCounts of(List<Impression> log) {
    Map<List<String>, Integer> pairIds = new HashMap<>();
    Map<Long, long[]> counts = new HashMap<>();
    int depth = 0;
    for (Impression impression : log) {
      boolean[] clicked = ClickedPositions.of(impression);
      depth = Math.max(depth, clicked.length);
      for (int i = 0; i < clicked.length; i++) {
        List<String> key = List.of(impression.queryText(), impression.shown().get(i));
        int pair = pairIds.computeIfAbsent(key, k -> pairIds.size());
        long[] c = counts.computeIfAbsent(((long) pair << 32) | (i + 1), k -> new long[2]);
        c[0]++;
        if (clicked[i]) {
          c[1]++;
        }
      }
    }
    List<Cell> cells = new ArrayList<>(counts.size());
    counts.forEach((key, c) ->
        cells.add(new Cell((int) (key >>> 32), (int) (long) key, c[0], c[1])));
    cells.sort(Comparator.comparingInt(Cell::pair).thenComparingInt(Cell::rank));
    return new PositionCounts(pairIds.size(), depth, List.copyOf(cells));
  }
}
