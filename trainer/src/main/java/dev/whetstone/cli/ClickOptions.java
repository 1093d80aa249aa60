package dev.whetstone.cli;

import dev.whetstone.clicks.ClickLabeler;
import dev.whetstone.clicks.ClickSource;
import dev.whetstone.train.ClickConfig;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code whetstone train --clicks}: train from a click log instead of the data set's judgments. */
final class ClickOptions {
  @Option(names = "--clicks", required = true, paramLabel = "SRC", description = "train and select "
      + "on a click log instead of the judgments: a JSONL file of impressions, a folder of UBI "
      + "query and event files, or a Solr base URL (http://host:8983/solr) whose UBI collections "
      + "hold it (docs/clicks.md); --data still gives the corpus, and its test judgments, if any, "
      + "test the result")
  String source;

  @Option(names = "--ubi-collections", paramLabel = "QUERIES,EVENTS", defaultValue =
      ClickSource.UBI_QUERIES_COLLECTION + "," + ClickSource.UBI_EVENTS_COLLECTION, description =
      "with --clicks URL: the UBI queries and events collections (default: ${DEFAULT-VALUE})")
  String ubiCollections;

  @Option(names = "--propensity", defaultValue = "auto", description = "how likely each position "
      + "is looked at: auto (harvesting when the log shows documents at several positions, else "
      + "em), harvesting, em, given (see --propensity-theta) (default: ${DEFAULT-VALUE})")
  String propensity;

  @Option(names = "--propensity-theta", defaultValue = "1", description = "with --propensity "
      + "given: position r is looked at with probability (1/r)^theta (default: ${DEFAULT-VALUE})")
  double theta;

  @Option(names = "--click-weighting", defaultValue = "ipw", description = "ipw: a click weighs "
      + "the inverse of its position's propensity, clipped; naive: 1 wherever it was "
      + "(default: ${DEFAULT-VALUE})")
  String weighting;

  @Option(names = "--ipw-clip", description = "the most one click may weigh (default: "
      + ClickLabeler.DEFAULT_CLIP + ")")
  Double clip;

  @Option(names = "--min-dwell", defaultValue = "0", paramLabel = "SECONDS", description = "clicks "
      + "with a known dwell time below this do not count (default: ${DEFAULT-VALUE})")
  double minDwell;

  ClickConfig config() {
    return new ClickConfig(source,
        java.util.Arrays.stream(ubiCollections.split(",", -1)).map(String::trim).toList(),
        choice("--propensity", propensity, ClickConfig.Propensity.class),
        theta, choice("--click-weighting", weighting, ClickConfig.Weighting.class),
        clip != null ? clip : ClickLabeler.DEFAULT_CLIP, minDwell);
  }

  private static <E extends Enum<E>> E choice(String option, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": '" + value + "' is not one of "
          + java.util.Arrays.stream(type.getEnumConstants())
              .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
    }
  }
}
