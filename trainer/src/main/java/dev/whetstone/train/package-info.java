/**
 * The retraining job ({@link dev.whetstone.train.TrainingJob}) and what it runs: training data
 * loading and checks, baselines, mining with re-mining, the planned training loop (full mode with
 * GradCache, or the query tower alone against the indexed document vectors) with AdamW, numeric
 * guards and resumable checkpoints, and the {@link dev.whetstone.train.PromotionGate} that
 * promotes the best dev checkpoint (exported, evaluated and moved by {@code CandidateExport},
 * {@code CandidateEvaluation} and {@code CandidateMove}) only if it beats the current model. Its input is a
 * {@link dev.whetstone.train.TrainingConfig} built by {@code whetstone train}; its output is a
 * promoted, calibrated model directory and a training report.
 */
package dev.whetstone.train;
