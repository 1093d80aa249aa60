package dev.whetstone.eval;

/**
 * One retriever's evaluation on dev and, when the data set has test judgments, test.
 *
 * @param test null without test judgments
 */
public record SplitEvaluations(Evaluation dev, Evaluation test) {}
