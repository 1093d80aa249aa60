/**
 * Fitting the Cosine Adapter that Solr's {@code dev.whetstone.calibration} applies: a model's top
 * kNN hits for the judged queries are labeled (unjudged hits only as negatives the false-negative
 * rules keep), an adapter of each score-map form is fitted on train and the best form and its
 * threshold are chosen on dev, then {@code calibration.json} is written into the model directory.
 * {@link dev.whetstone.calibrate.CalibrationJob} runs it for {@code whetstone calibrate} and after
 * a training run promotes a model; {@link dev.whetstone.calibrate.FilterComparison} measures the
 * adapter on test against top-k, a raw-score threshold and Platt scaling ({@code
 * FilterComparisonMarkdown} renders its tables, {@code PrecisionRecallChart} its PNG curves).
 */
package dev.whetstone.calibrate;
