package dev.whetstone.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * The mining rules against false negatives, each null when switched off: the rank window, then the
 * positive-aware margin, the order a {@link FilterChain} applies them in.
 */
public record FalseNegativeRules(RankWindowFilter window, PositiveAwareMarginFilter margin) {

  /** The rules that are on, in chain order. */
  public List<NegativeFilter> enabled() {
    List<NegativeFilter> rules = new ArrayList<>(2);
    if (window != null) {
      rules.add(window);
    }
    if (margin != null) {
      rules.add(margin);
    }
    return rules;
  }
}
