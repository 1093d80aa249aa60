/**
 * The measurements behind {@code whetstone bench} and docs/benchmarks.md: encoder throughput
 * against raw ONNX Runtime ({@link dev.whetstone.bench.RawOrtEncoder}, used only here), Solr query
 * latency as a client sees it, the cost of signing internal params, and the full-mode roll-out's
 * re-embedding rate against a fresh index. Results are printed as latency percentiles and rates;
 * nothing here runs during training or serving.
 */
package dev.whetstone.bench;
