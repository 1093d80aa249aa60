/**
 * The record of a training run: {@link dev.whetstone.report.TrainingReport} (settings, baselines,
 * mining counts, steps, the promotion decision and its reason), written by {@link
 * dev.whetstone.report.ReportWriter} as {@code report.json}, {@code report.md} and a plot of the
 * training loss and dev nDCG@10 at the end of a {@code whetstone train} run.
 */
package dev.whetstone.report;
