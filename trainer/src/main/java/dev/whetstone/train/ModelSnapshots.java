package dev.whetstone.train;

import dev.whetstone.data.Qrels;
import dev.whetstone.eval.Evaluation;
import dev.whetstone.eval.Runs;
import dev.whetstone.export.OnnxExport;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.nn.SentenceEncoder;
import dev.whetstone.retrieval.Candidate;
import dev.whetstone.retrieval.DenseIndex;
import dev.whetstone.retrieval.EmbeddingCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.lucene.util.IOUtils;

/**
 * The model being trained as Solr would run it: its weights exported into a model directory and
 * loaded by the shared ONNX Runtime encoder, then evaluated against the corpus as that model sees
 * it (re-embedded in full mode, the fixed index in query-tower mode). Dev evaluation, re-mining and
 * the final evaluation all go through here, so what is selected is what is served.
 */
final class ModelSnapshots {
  private static final int DOCUMENT_SAMPLE = 64;

  private final TrainingConfig config;
  private final TrainingData data;
  private final DenseIndex baseIndex;
  private final EmbeddingCache vectors;

  /**
   * @param baseIndex the corpus as the current model embedded it
   * @param vectors where corpus embeddings are cached, by model and texts
   */
  ModelSnapshots(TrainingConfig config, TrainingData data, DenseIndex baseIndex,
      EmbeddingCache vectors) {
    this.config = config;
    this.data = data;
    this.baseIndex = baseIndex;
    this.vectors = vectors;
  }

  /** The current weights as a model directory Solr loads: the ONNX graph with them written in. */
  ModelDirectory export(SentenceEncoder model, Path dir) throws IOException {
    IOUtils.rm(dir);
    ModelManifest base = model.manifest();
    String documentTower = config.mode() == TrainingMode.QUERY_TOWER ? base.fingerprint() : null;
    return OnnxExport.write(model, dir, config.name(), nextVersion(base), documentTower);
  }

  /** The current weights loaded by the shared encoder (from a scratch export in the work dir). */
  Encoder load(SentenceEncoder model) throws IOException {
    return Encoder.load(export(model, config.workDir().resolve("snapshot")));
  }

  /** The corpus as the current model embedded it: what the cluster has indexed today. */
  DenseIndex baseIndex() {
    return baseIndex;
  }

  /** The corpus as an encoder sees it: re-embedded in full mode, the fixed index otherwise. */
  DenseIndex documentIndex(Encoder encoder) throws IOException {
    return config.mode() == TrainingMode.QUERY_TOWER ? baseIndex
        : new DenseIndex(data.documentIds(), vectors.documents(encoder, data.corpus()));
  }

  /** How fast this machine exports and embeds with the shared encoder, timed on real texts. */
  record Throughput(double exportSeconds, double queriesPerSecond, double documentsPerSecond) {}

  /**
   * Times an export of the current weights, the dev queries, and a sample of the corpus (full mode:
   * every evaluation re-embeds it), so the run's plan rests on measured costs.
   */
  Throughput measure(SentenceEncoder model) throws IOException {
    long started = System.nanoTime();
    try (Encoder encoder = load(model)) {
      long exported = System.nanoTime();
      List<String> queries = new ArrayList<>(data.queryTexts(data.splits().dev()).values());
      encoder.encodeQueries(queries);
      long encoded = System.nanoTime();
      double documentsPerSecond = Double.POSITIVE_INFINITY;
      if (config.mode() == TrainingMode.FULL) {
        List<String> texts = data.documentTextList();
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < Math.min(DOCUMENT_SAMPLE, texts.size()); i++) {
          sample.add(texts.get((int) ((long) i * texts.size() / Math.min(DOCUMENT_SAMPLE,
              texts.size())))); // spread over the corpus: lengths vary along it
        }
        encoder.encodeDocuments(sample);
        documentsPerSecond = sample.size() / ((System.nanoTime() - encoded) / 1e9);
      }
      return new Throughput((exported - started) / 1e9,
          queries.size() / Math.max(1e-9, (encoded - exported) / 1e9), documentsPerSecond);
    }
  }

  static Evaluation evaluate(Encoder encoder, DenseIndex index, Qrels split, TrainingData data) {
    return Evaluation.of(split, run(encoder, index, split, data));
  }

  /** The dense run of a split's queries: query id → document ids, best first. */
  static Map<String, List<String>> run(Encoder encoder, DenseIndex index, Qrels split,
      TrainingData data) {
    return Runs.ids(scoredRun(encoder, index, split, data));
  }

  /** The dense run of a split's queries with their scores, for fusion. */
  static Map<String, List<Candidate>> scoredRun(Encoder encoder, DenseIndex index, Qrels split,
      TrainingData data) {
    return Runs.dense(index, encode(data.queryTexts(split), encoder::encodeQueries));
  }

  static Map<String, float[]> encode(Map<String, String> queries,
      Function<List<String>, float[][]> encoder) {
    List<String> ids = new ArrayList<>(queries.keySet());
    float[][] vectors = encoder.apply(ids.stream().map(queries::get).toList());
    Map<String, float[]> byId = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      byId.put(ids.get(i), vectors[i]);
    }
    return byId;
  }

  private static String nextVersion(ModelManifest manifest) {
    try {
      return Integer.toString(Integer.parseInt(manifest.version()) + 1);
    } catch (NumberFormatException e) {
      return manifest.version() + "+1";
    }
  }
}
