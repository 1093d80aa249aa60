package dev.whetstone.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns text into vectors with an ONNX model (DJL's ONNX Runtime engine) and the model's {@link
 * TextTokenizer}. The only encoder in Whetstone: Solr's update processor and query parsers and the
 * trainer all call this class, so the same text gives the same vector everywhere.
 *
 * <p>Thread-safe: ONNX Runtime sessions may run concurrently, and each call uses its own predictor
 * and native memory. Document batches take turns when running them side by side would ask for more
 * threads than there are processors (two shard requests of one indexing call, each with every
 * core, ran 11% slower than one after the other); queries never wait behind them.
 */
public final class Encoder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Encoder.class);

  static {
    // Nothing reaches the network at run time: no model downloads, no usage telemetry.
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("OPT_OUT_TRACKING", "true");
  }

  /** Where the model runs. */
  public enum Placement {
    CPU,
    /** ONNX Runtime's CUDA provider; CPU (with one warning) when the CUDA provider is missing. */
    GPU
  }

  /** Texts per model call unless the caller says otherwise. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  private final ModelDirectory directory;
  private final ModelManifest manifest;
  private final TextTokenizer tokenizer;
  private final Model model;
  private final List<String> inputNames;
  private final Placement placement;
  private final OrtSession.SessionOptions sessionOptions;
  private final Semaphore documentRuns;

  private Encoder(ModelDirectory directory, TextTokenizer tokenizer, Model model,
      Placement placement, OrtSession.SessionOptions sessionOptions, int intraOpThreads) {
    this.sessionOptions = sessionOptions;
    this.documentRuns = new Semaphore(concurrentDocumentRuns(placement, intraOpThreads), true);
    this.directory = directory;
    this.manifest = directory.manifest();
    this.tokenizer = tokenizer;
    this.model = model;
    this.placement = placement;
    this.inputNames = model.describeInput().keys();
    for (String name : inputNames) {
      if (!List.of("input_ids", "attention_mask", "token_type_ids").contains(name)) {
        throw new IllegalArgumentException(directory.onnxFile() + " has an input '" + name
            + "'; supported inputs are input_ids, attention_mask and token_type_ids");
      }
    }
  }

  /**
   * Loads the model of a directory.
   *
   * @param threads ONNX Runtime intra-op threads; 0: one per processor the JVM may use
   */
  public static Encoder load(ModelDirectory directory, Placement placement, int threads)
      throws IOException {
    Placement actual = placement == Placement.GPU && !cudaAvailable() ? Placement.CPU : placement;
    if (actual != placement) {
      log.warn("Model {}: device=gpu asked for, but ONNX Runtime's CUDA provider is not on the "
          + "classpath (add onnxruntime_gpu); running on CPU", directory.manifest().name());
    }
    TextTokenizer tokenizer = TextTokenizer.load(directory);
    Device device = actual == Placement.GPU ? Device.gpu() : Device.cpu();
    Model model = Model.newInstance(directory.manifest().name(), device, "OnnxRuntime");
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    // ONNX Runtime's own default (0) ignores container CPU limits and, on a 2-vCPU machine here,
    // used one thread: half the documents/s of two (docs/benchmarks.md)
    int intraOpThreads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    try {
      options.setInterOpNumThreads(1);
      options.setIntraOpNumThreads(intraOpThreads);
      // idle intra-op threads sleep rather than spin: in Solr they share the cores with the
      // request and indexing threads
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      model.load(directory.path(), "model", Map.of("sessionOptions", options));
      return new Encoder(directory, tokenizer, model, actual, options, intraOpThreads);
    } catch (MalformedModelException | OrtException | RuntimeException e) {
      model.close();
      tokenizer.close();
      options.close();
      throw new IOException("cannot load " + directory.onnxFile() + ": " + e.getMessage(), e);
    }
  }

  /** Loads a model directory on CPU, one intra-op thread per available processor. */
  public static Encoder load(ModelDirectory directory) throws IOException {
    return load(directory, Placement.CPU, 0);
  }

  /** How many document batches may run at once: as many as the processors' threads allow. */
  static int concurrentDocumentRuns(Placement placement, int intraOpThreads) {
    if (placement == Placement.GPU) {
      return Integer.MAX_VALUE; // the device queues kernels itself; the CPU threads mostly wait
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors() / intraOpThreads);
  }

  static boolean cudaAvailable() {
    try {
      return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  public ModelManifest manifest() {
    return manifest;
  }

  public ModelDirectory directory() {
    return directory;
  }

  /** Where the model actually runs (GPU requests fall back to CPU without CUDA). */
  public Placement placement() {
    return placement;
  }

  public float[] encodeQuery(String text) {
    return encodeQueries(List.of(text))[0];
  }

  public float[][] encodeQueries(List<String> texts) {
    return LengthSortedBatches.encode(tokenizer.tokenizeQueries(texts), DEFAULT_BATCH_SIZE,
        this::runModel);
  }

  public float[][] encodeDocuments(List<String> texts) {
    return encodeDocuments(texts, DEFAULT_BATCH_SIZE);
  }

  public float[][] encodeDocuments(List<String> texts, int batchSize) {
    return LengthSortedBatches.encode(tokenizer.tokenizeDocuments(texts), batchSize,
        this::runDocumentBatch);
  }

  private float[][] runDocumentBatch(TokenBatch batch) {
    documentRuns.acquireUninterruptibly();
    try {
      return runModel(batch);
    } finally {
      documentRuns.release();
    }
  }

  /** Token count of a document after the prefix, special tokens and truncation. */
  public int documentTokenCount(String text) {
    return tokenizer.tokenizeDocuments(List.of(text))[0].length();
  }

  private float[][] runModel(TokenBatch batch) {
    int rows = batch.rows();
    int seq = batch.length();
    try (NDManager manager = model.getNDManager().newSubManager();
        Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
      Shape shape = new Shape(rows, seq);
      NDList inputs = new NDList();
      for (String name : inputNames) {
        long[] data = switch (name) {
          case "input_ids" -> batch.inputIds();
          case "attention_mask" -> batch.attentionMask();
          default -> batch.tokenTypeIds();
        };
        NDArray array = manager.create(LongBuffer.wrap(data), shape);
        array.setName(name);
        inputs.add(array);
      }
      NDList outputs = predictor.predict(inputs);
      NDArray hidden = outputs.contains("last_hidden_state")
          ? outputs.get("last_hidden_state") : outputs.head();
      float[][] vectors = toVectors(hidden, rows, seq, batch.attentionMask());
      outputs.close();
      return vectors;
    } catch (TranslateException e) {
      throw new IllegalStateException("model " + manifest.name() + " failed on a batch of "
          + rows + " texts: " + e.getMessage(), e);
    }
  }

  private float[][] toVectors(NDArray hidden, int rows, int seq, long[] mask) {
    Shape shape = hidden.getShape();
    float[] data = hidden.toFloatArray();
    int dim = (int) shape.get(shape.dimension() - 1);
    if (dim != manifest.dimension()) {
      throw new IllegalStateException("model " + manifest.name() + " produced vectors of dimension "
          + dim + " but its manifest says " + manifest.dimension());
    }
    float[][] vectors = new float[rows][];
    for (int r = 0; r < rows; r++) {
      float[] vector;
      if (shape.dimension() == 2) { // the graph pools by itself
        vector = Arrays.copyOfRange(data, r * dim, (r + 1) * dim);
      } else {
        vector = manifest.pooling().pool(data, r, seq, dim, mask);
      }
      if (manifest.normalize()) {
        normalize(vector);
      }
      vectors[r] = vector;
    }
    return vectors;
  }

  static void normalize(float[] vector) {
    double sum = 0;
    for (float v : vector) {
      sum += v * v;
    }
    if (sum == 0) {
      return;
    }
    float scale = (float) (1 / Math.sqrt(sum));
    for (int i = 0; i < vector.length; i++) {
      vector[i] *= scale;
    }
  }

  @Override
  public void close() {
    model.close();
    tokenizer.close();
    sessionOptions.close();
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
