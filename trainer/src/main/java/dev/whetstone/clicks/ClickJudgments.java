package dev.whetstone.clicks;

import dev.whetstone.data.Qrels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Click labels as the trainer's judgments. The query texts are split, seeded, into train and dev
 * (a text's impressions stay together, so the gate judges on queries it did not train on). Train
 * positives are the clicked documents (with {@code graded}: those whose click-through grade is at
 * least 1), drawn in proportion to their click weight; dev grades are the debiased click-through
 * grades, what the gate's nDCG@10 is computed against.
 *
 * @param train train query id → positive document → grade (at least 1)
 * @param dev dev query id → document → grade (> 0 only), for queries with a graded document
 * @param queries query id → text, for both splits
 * @param weights train query id → clicked document → its click weight (the sampling weight)
 * @param skipAbove train query id → documents shown above a click and never clicked
 * @param droppedDocuments clicked documents left out because the corpus does not hold them
 */
public record ClickJudgments(Qrels train, Qrels dev, Map<String, String> queries,
    Map<String, Map<String, Double>> weights, Map<String, List<String>> skipAbove,
    int droppedDocuments) {

  /** Query ids are this prefix and the text's index in the log's order. */
  public static final String ID_PREFIX = "click-";

  /**
   * @param trainLabels per query text, in log order: the training positives and their weights
   * @param gateLabels per query text: the dev grades (debiased), and with {@code graded} which
   *     clicked documents are positives
   * @param graded keep as positives only the clicked documents of grade 1 or more: a document
   *     clicked about as often as any shown one is not taken for a relevant one
   * @param devFraction share of the query texts held out as dev (at least one text when there
   *     are two or more)
   * @param inCorpus whether the corpus holds a document; clicks on others are dropped and counted
   */
  public static ClickJudgments of(Map<String, ClickLabels> trainLabels,
      Map<String, ClickLabels> gateLabels, boolean graded, double devFraction, long seed,
      Predicate<String> inCorpus) {
    if (!(devFraction >= 0 && devFraction < 1)) {
      throw new IllegalArgumentException("dev fraction must be in [0, 1), got " + devFraction);
    }
    List<String> texts = new ArrayList<>(trainLabels.keySet());
    Map<String, String> ids = new LinkedHashMap<>();
    for (int i = 0; i < texts.size(); i++) {
      ids.put(texts.get(i), ID_PREFIX + i);
    }
    List<String> shuffled = new ArrayList<>(texts);
    Collections.shuffle(shuffled, new Random(seed));
    int devSize = texts.size() < 2 ? 0
        : Math.max(1, (int) Math.round(texts.size() * devFraction));
    java.util.Set<String> devTexts = new java.util.HashSet<>(shuffled.subList(0, devSize));

    Map<String, Map<String, Integer>> train = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> dev = new LinkedHashMap<>();
    Map<String, Map<String, Double>> weights = new LinkedHashMap<>();
    Map<String, List<String>> skipAbove = new LinkedHashMap<>();
    Map<String, String> queries = new LinkedHashMap<>();
    int dropped = 0;
    for (String text : texts) {
      ClickLabels label = trainLabels.get(text);
      Map<String, Integer> grades = gateLabels.get(text).grades();
      String id = ids.get(text);
      if (devTexts.contains(text)) {
        Map<String, Integer> relevant = new LinkedHashMap<>();
        grades.forEach((doc, grade) -> {
          if (grade > 0 && inCorpus.test(doc)) {
            relevant.put(doc, grade);
          }
        });
        if (!relevant.isEmpty()) {
          dev.put(id, relevant);
          queries.put(id, text);
        }
        continue;
      }
      Map<String, Integer> positives = new LinkedHashMap<>();
      Map<String, Double> weighted = new LinkedHashMap<>();
      for (Map.Entry<String, Double> positive : label.positives().entrySet()) {
        String doc = positive.getKey();
        if (!inCorpus.test(doc)) {
          dropped++;
        } else if (positive.getValue() > 0 && (!graded || grades.getOrDefault(doc, 0) > 0)) {
          positives.put(doc, Math.max(1, grades.getOrDefault(doc, 0)));
          weighted.put(doc, positive.getValue());
        }
      }
      if (!positives.isEmpty()) {
        train.put(id, positives);
        weights.put(id, weighted);
        skipAbove.put(id, label.skipAboveNegatives().stream().filter(inCorpus).toList());
        queries.put(id, text);
      }
    }
    return new ClickJudgments(new Qrels(train), new Qrels(dev), queries, weights, skipAbove,
        dropped);
  }
}
