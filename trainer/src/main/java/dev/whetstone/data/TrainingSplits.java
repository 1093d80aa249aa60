package dev.whetstone.data;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Train, dev and test judgments of a BEIR data set. A data set without {@code qrels/dev.tsv} gets
 * a dev split carved from train (seeded, so a rerun selects on the same queries); test is optional.
 *
 * @param devCarved whether dev was carved from train
 */
public record TrainingSplits(Qrels train, Qrels dev, Qrels test, boolean devCarved) {

  public static TrainingSplits of(BeirDataset dataset, double devFraction, long seed)
      throws IOException {
    Qrels train = dataset.qrels("train");
    Qrels test = Files.isRegularFile(dataset.qrelsFile("test")) ? dataset.qrels("test") : null;
    if (Files.isRegularFile(dataset.qrelsFile("dev"))) {
      return new TrainingSplits(train, dataset.qrels("dev"), test, false);
    }
    if (!(devFraction > 0 && devFraction < 1)) {
      throw new IllegalArgumentException(dataset.qrelsFile("dev") + " does not exist, so a dev "
          + "split is carved from train: the dev fraction must be in (0, 1), got " + devFraction);
    }
    List<String> queries = new ArrayList<>(train.queryIds());
    Collections.shuffle(queries, new Random(seed));
    int devSize = Math.max(1, (int) Math.round(queries.size() * devFraction));
    Map<String, Map<String, Integer>> dev = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> rest = new LinkedHashMap<>();
    for (int i = 0; i < queries.size(); i++) {
      String query = queries.get(i);
      (i < devSize ? dev : rest).put(query, train.judgments(query));
    }
    return new TrainingSplits(new Qrels(rest), new Qrels(dev), test, true);
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
    return new TrainingSplits(new Qrels(kept), dev, test, devCarved);
  }
}
