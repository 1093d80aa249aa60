package dev.whetstone.cli;

import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.model.PretrainedModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code whetstone model ...}: model directories. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Manage model directories.",
    subcommands = ModelCommand.Import.class)
final class ModelCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Write a model directory (model.onnx, tokenizer.json, whetstone-model.json) "
          + "from a pretrained model's LangChain4j jar.")
  static final class Import implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "all-minilm-l6-v2, all-minilm-l6-v2-q, "
        + "bge-small-en-v1.5, e5-small-v2 or e5-small-v2-q")
    String name;

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "the model directory to create (must not exist)")
    Path out;

    @Option(names = "--jar", paramLabel = "FILE",
        description = "the model's jar; default: the jar on the classpath")
    Path jar;

    @Override
    public Integer call() throws Exception {
      ModelDirectory dir = PretrainedModel.byName(name).importTo(out, jar);
      ModelManifest m = dir.manifest();
      System.out.printf("Imported %s into %s: %d-d, %s pooling, max %d tokens, sha256 %s%n",
          m.name(), dir.path(), m.dimension(), m.pooling().name().toLowerCase(Locale.ROOT),
          m.maxLength(), m.fingerprint());
      return 0;
    }
  }
}
