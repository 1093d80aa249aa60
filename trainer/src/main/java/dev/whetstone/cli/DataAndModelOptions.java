package dev.whetstone.cli;

import dev.whetstone.workspace.ModelCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of every command that runs a pretrained model over a BEIR data set. */
final class DataAndModelOptions {
  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "BEIR data set folder (demo: a missing folder named scifact is downloaded)")
  Path data;

  @Option(names = "--model", defaultValue = "all-minilm-l6-v2",
      description = "pretrained 384-d model (default: ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--models-dir", paramLabel = "DIR",
      description = "where imported models are kept (default: ~/.cache/whetstone/models)")
  Path modelsDir;

  Path models() {
    return modelsDir != null ? modelsDir : ModelCache.defaultDir();
  }

  /** {@code model}'s directory: the folder it names, else a pretrained model's (imported). */
  Path directory(String model) throws IOException {
    return Files.isDirectory(Path.of(model)) ? Path.of(model)
        : ModelCache.ensure(models(), model).path();
  }
}
