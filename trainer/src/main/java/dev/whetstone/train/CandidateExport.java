package dev.whetstone.train;

import dev.whetstone.model.ModelDirectory;
import dev.whetstone.nn.SentenceEncoder;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The promotion candidate on disk: the run's best dev checkpoint loaded into the model and exported
 * as a model directory Solr loads, in the work dir's {@code candidate} folder.
 */
final class CandidateExport {
  private final ModelSnapshots snapshots;
  private final Path dir;

  CandidateExport(TrainingConfig config, ModelSnapshots snapshots) {
    this.snapshots = snapshots;
    this.dir = config.workDir().resolve("candidate");
  }

  /** Loads {@code bestWeights} into {@code model} and exports it; returns the exported folder. */
  ModelDirectory export(SentenceEncoder model, Path bestWeights) throws IOException {
    Checkpoint.loadWeights(model, bestWeights);
    return snapshots.export(model, dir);
  }
}
