package dev.whetstone.cli;

import dev.whetstone.rollout.QueryTowerRollout;
import picocli.CommandLine.Option;

/** The online gate: judged queries sent to the live collection, current tower vs candidate. */
final class GateOptions {
  @Option(names = "--field", defaultValue = "vector",
      description = "the collection's vector field (default: ${DEFAULT-VALUE})")
  String field;

  @Option(names = "--gate-confidence", defaultValue = "0.95", description = "refuse when a "
      + "one-sided paired t-test over the queries' nDCG@10 says the candidate is worse with this "
      + "confidence (default: ${DEFAULT-VALUE})")
  double gateConfidence;

  @Option(names = "--max-regression", defaultValue = "0.01", description = "refuse when mean "
      + "nDCG@10 drops by more than this, significant or not (default: ${DEFAULT-VALUE})")
  double maxRegression;

  QueryTowerRollout.Settings settings(SwitchOptions switching) {
    return new QueryTowerRollout.Settings(switching.modelName, field, gateConfidence,
        maxRegression, switching.timeoutSeconds());
  }
}
