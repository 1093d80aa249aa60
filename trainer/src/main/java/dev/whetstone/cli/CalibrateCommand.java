package dev.whetstone.cli;

import dev.whetstone.calibrate.CalibrationJob;
import dev.whetstone.calibrate.FilterComparison;
import dev.whetstone.calibrate.LabeledHits;
import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.TrainingSplits;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.retrieval.EmbeddingCache;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code whetstone calibrate}: fits the Cosine Adapter of a model on a data set's train split,
 * chooses its form and threshold on dev, writes {@code calibration.json} into the model directory
 * and compares it on test with top-k, a raw-score threshold and Platt scaling.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = "Fit calibrated relevance scores (Cosine Adapter) for a model, so that "
        + "{!embed minRelevance=...} can filter kNN hits with one global threshold.")
final class CalibrateCommand implements Callable<Integer> {
  @Mixin DataAndModelOptions options;

  @Mixin WorkDirOption workDir;

  @Option(names = "--dev-fraction", defaultValue = "0.1", description = "dev split carved from "
      + "train when the data set has no qrels/dev.tsv (default: ${DEFAULT-VALUE})")
  double devFraction;

  @Mixin SplitsOption splits;

  @Mixin RelativeMarginOptions margin;

  @Option(names = "--off-topic", paramLabel = "DIR", description = "another BEIR data set whose "
      + "queries should find nothing here: reports the share that comes back empty")
  Path offTopic;

  @Option(names = "--plot", paramLabel = "FILE", description = "write the test precision-recall "
      + "curves as a PNG")
  Path plot;

  @Option(names = "--document-model", paramLabel = "DIR|NAME", description = "the document "
      + "model a query-only --model (a retrained query tower) pairs with: the corpus is embedded "
      + "by it, as Solr's index holds it (default: --model embeds both sides)")
  String documentModel;

  @Mixin SeedOption seeding;

  @Override
  public Integer call() throws Exception {
    ModelDirectory model = ModelDirectory.open(options.directory(options.model));
    String pairedWith = model.manifest().documentTowerFingerprint();
    if (pairedWith != null && documentModel == null) {
      throw new IllegalArgumentException("--model " + options.model + " embeds queries only (a "
          + "query tower): give --document-model NAME|DIR, the document model it pairs with ("
          + pairedWith + ")");
    }
    ModelDirectory documents = documentModel == null ? null
        : ModelDirectory.open(options.directory(documentModel));
    BeirDataset dataset = BeirDataset.open(options.data);
    TrainingSplits split = TrainingSplits.of(dataset, splits.ratios(), devFraction, seeding.seed);
    Path work = workDir.dir();
    CalibrationJob job = new CalibrationJob(new EmbeddingCache(work.resolve("vectors"), System.err),
        margin.margin(), seeding.seed, System.out);
    try (CalibrationJob.Outcome outcome = job.run(model, documents, dataset, split,
        dataset.queries())) {
      if (outcome.test().isEmpty()) {
        System.out.println("No test split: nothing to compare on.");
        return 0;
      }
      FilterComparison comparison = new FilterComparison(outcome.dev(), outcome.test(),
          outcome.adapter(), outcome.platt());
      List<FilterComparison.OffTopicPoint> off = null;
      if (offTopic != null) {
        List<LabeledHits> foreign = job.offTopic(outcome, BeirDataset.open(offTopic));
        off = comparison.offTopic(foreign);
      }
      System.out.println();
      System.out.print(FilterComparison.markdown(comparison.rows(), off,
          offTopic == null ? null : offTopic.getFileName().toString()));
      if (plot != null) {
        comparison.plot(plot, dataset.name() + " test, top 100 hits of " + model.manifest().name());
        System.out.println("Plot: " + plot);
      }
    }
    return 0;
  }
}
