package dev.whetstone.cli;

import picocli.CommandLine.Option;

/** How a collection's model is switched: which declared model, how long replicas have. */
final class SwitchOptions {
  @Option(names = "--model-name", defaultValue = "minilm", paramLabel = "NAME",
      description = "the model's name in the collection's configset (default: ${DEFAULT-VALUE})")
  String modelName;

  @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION",
      description = "how long every replica has to report the new model, e.g. 60s, 2m "
          + "(default: ${DEFAULT-VALUE})")
  String timeout;

  long timeoutSeconds() {
    return Durations.parseSeconds("--timeout", timeout);
  }
}
