package dev.whetstone.data;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Train, dev and test judgments of a BEIR data set, and where each came from. With its own
 * {@code qrels/train.tsv} a data set trains on that file, evaluates on {@code dev.tsv} (or a dev
 * split carved from train, seeded, so a rerun selects on the same queries) and tests on
 * {@code test.tsv} when present. A data set with judgments but no train file (Cranfield ships
 * only test.tsv), or any data set when asked with {@link SplitRatios}, is carved by query into all
 * three: a query's judgments stay together, so no query is trained on and tested.
 *
 * @param test null when the data set has no test judgments
 * @param origin how the splits were made, for the console and the report
 */
public record TrainingSplits(Qrels train, Qrels dev, Qrels test, String origin) {

  /**
   * @param carve carve every judged query into train/dev/test with these ratios; null to use the
   *     data set's files (and to carve with the default ratios only when it has no train file)
   * @param devFraction share of train carved as dev when the data set has train but no dev file
   */
  public static TrainingSplits of(BeirDataset dataset, SplitRatios carve, double devFraction,
      long seed) throws IOException {
    boolean hasTrain = Files.isRegularFile(dataset.qrelsFile("train"));
    if (carve != null || !hasTrain) {
      return carve(dataset, carve != null ? carve : SplitRatios.DEFAULT, seed);
    }
    Qrels train = dataset.qrels("train");
    Qrels test = has(dataset, "test") ? dataset.qrels("test") : null;
    if (has(dataset, "dev")) {
      return new TrainingSplits(train, dataset.qrels("dev"), test, "qrels files");
    }
    if (!(devFraction > 0 && devFraction < 1)) {
      throw new IllegalArgumentException(dataset.qrelsFile("dev") + " does not exist, so a dev "
          + "split is carved from train: the dev fraction must be in (0, 1), got " + devFraction);
    }
    List<Map<String, Map<String, Integer>>> parts =
        carve(shuffled(train, seed), train, new double[] {devFraction, 1 - devFraction});
    return new TrainingSplits(new Qrels(parts.get(1)), new Qrels(parts.get(0)), test,
        String.format(Locale.ROOT, "dev carved from train (%.0f%%, seed %d)",
            devFraction * 100, seed));
  }

  private static TrainingSplits carve(BeirDataset dataset, SplitRatios ratios, long seed)
      throws IOException {
    Map<String, Map<String, Integer>> all = new LinkedHashMap<>();
    List<String> files = new ArrayList<>();
    for (String split : List.of("train", "dev", "test")) {
      if (has(dataset, split)) {
        Qrels qrels = dataset.qrels(split);
        qrels.queryIds().forEach(q -> all.computeIfAbsent(q, k -> new LinkedHashMap<>())
            .putAll(qrels.judgments(q)));
        files.add(split + ".tsv");
      }
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException(dataset.dir().resolve("qrels")
          + " has no judgments (train.tsv, dev.tsv or test.tsv) to train or evaluate on");
    }
    Qrels judged = new Qrels(all);
    List<Map<String, Map<String, Integer>>> parts = carve(shuffled(judged, seed), judged,
        new double[] {ratios.train(), ratios.dev(), ratios.test()});
    if (parts.get(0).isEmpty() || parts.get(1).isEmpty()) {
      throw new IllegalArgumentException("splits " + ratios + " of the " + all.size()
          + " judged queries in " + dataset.dir().resolve("qrels") + " leave train or dev empty");
    }
    return new TrainingSplits(new Qrels(parts.get(0)), new Qrels(parts.get(1)),
        parts.get(2).isEmpty() ? null : new Qrels(parts.get(2)),
        String.format(Locale.ROOT, "carved by query from %s, %s (seed %d)",
            String.join(" + ", files), ratios, seed));
  }

  private static List<String> shuffled(Qrels qrels, long seed) {
    List<String> queries = new ArrayList<>(qrels.queryIds());
    Collections.shuffle(queries, new Random(seed));
    return queries;
  }

  /** Consecutive runs of the shuffled queries, sized by the shares (rounded, at least 1 each). */
  private static List<Map<String, Map<String, Integer>>> carve(List<String> queries, Qrels qrels,
      double[] shares) {
    double total = 0;
    for (double share : shares) {
      total += share;
    }
    List<Map<String, Map<String, Integer>>> parts = new ArrayList<>();
    int from = 0;
    double cumulative = 0;
    for (int p = 0; p < shares.length; p++) {
      cumulative += shares[p];
      int to = p == shares.length - 1 ? queries.size()
          : (int) Math.round(queries.size() * cumulative / total);
      if (shares[p] > 0) {
        to = Math.max(to, Math.min(queries.size(), from + 1));
      }
      Map<String, Map<String, Integer>> part = new LinkedHashMap<>();
      for (String query : queries.subList(from, Math.max(from, to))) {
        part.put(query, qrels.judgments(query));
      }
      parts.add(part);
      from = Math.max(from, to);
    }
    return parts;
  }

  /** Whether the data set has any judgments (train, dev or test) at all. */
  public static boolean hasJudgments(BeirDataset dataset) {
    return List.of("train", "dev", "test").stream().anyMatch(split -> has(dataset, split));
  }

  private static boolean has(BeirDataset dataset, String split) {
    return Files.isRegularFile(dataset.qrelsFile(split));
  }

  /** The first {@code limit} training queries (in the split's order); all when limit <= 0. */
  public TrainingSplits limitTrain(int limit) {
    if (limit <= 0 || limit >= train.queryIds().size()) {
      return this;
    }
    Map<String, Map<String, Integer>> kept = new LinkedHashMap<>();
    for (String query : train.queryIds()) {
      if (kept.size() == limit) {
        break;
      }
      kept.put(query, train.judgments(query));
    }
    return new TrainingSplits(new Qrels(kept), dev, test, origin);
  }
}
