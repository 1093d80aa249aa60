package dev.whetstone.retrieval;

import dev.whetstone.console.ProgressBar;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelManifest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Embeddings of a corpus or a query list, kept on disk so reruns do not re-embed: a file per model
 * manifest (fingerprint, pooling, prefixes, max length) and exact text list. Format: the magic
 * {@code WHETVEC1}, count and dimension (big-endian ints), then the floats, little-endian.
 */
public final class EmbeddingCache {
  private static final byte[] MAGIC = "WHETVEC1".getBytes(StandardCharsets.US_ASCII);
  private static final int CHUNK = 256;

  private final Path dir;
  private final PrintStream progress;

  /**
   * @param dir where the files are kept; created on first write
   * @param progress where a progress bar is drawn while embedding; null for none
   */
  public EmbeddingCache(Path dir, PrintStream progress) {
    this.dir = dir;
    this.progress = progress;
  }

  /** The document vectors of a corpus ({@link BeirDocument#embeddingText()}), in corpus order. */
  public float[][] documents(Encoder encoder, List<BeirDocument> corpus) throws IOException {
    List<String> texts = corpus.stream().map(BeirDocument::embeddingText).toList();
    return vectors(encoder, true, texts);
  }

  /**
   * Records vectors already computed by {@code manifest}'s model for a corpus (e.g. those a Solr
   * collection indexed with it), so {@link #documents} returns them instead of embedding again.
   */
  public void seedDocuments(ModelManifest manifest, List<BeirDocument> corpus, float[][] vectors)
      throws IOException {
    if (vectors.length != corpus.size()) {
      throw new IllegalArgumentException(vectors.length + " vectors for " + corpus.size() + " documents");
    }
    for (float[] vector : vectors) {
      if (vector.length != manifest.dimension()) {
        throw new IllegalArgumentException("a vector of dimension " + vector.length + " for model "
            + manifest.name() + " of dimension " + manifest.dimension());
      }
    }
    List<String> texts = corpus.stream().map(BeirDocument::embeddingText).toList();
    write(file(manifest, "docs", texts), vectors, manifest.dimension());
  }

  /** The query vectors of query texts, in order. */
  public float[][] queries(Encoder encoder, List<String> texts) throws IOException {
    return vectors(encoder, false, texts);
  }

  private float[][] vectors(Encoder encoder, boolean documents, List<String> texts)
      throws IOException {
    ModelManifest manifest = encoder.manifest();
    String role = documents ? "docs" : "queries";
    Path file = file(manifest, role, texts);
    if (Files.isRegularFile(file)) {
      return read(file, texts.size(), manifest.dimension());
    }
    float[][] vectors = embed(encoder, documents, texts, role);
    write(file, vectors, manifest.dimension());
    return vectors;
  }

  private Path file(ModelManifest manifest, String role, List<String> texts) {
    return dir.resolve(manifest.name() + "-" + role + "-" + key(manifest, role, texts) + ".vec");
  }

  private float[][] embed(Encoder encoder, boolean documents, List<String> texts, String unit) {
    ProgressBar bar = progress == null ? null : new ProgressBar(progress, unit, texts.size());
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (int start = 0; start < texts.size(); start += CHUNK) {
      List<String> chunk = texts.subList(start, Math.min(texts.size(), start + CHUNK));
      float[][] embedded = documents ? encoder.encodeDocuments(chunk) : encoder.encodeQueries(chunk);
      vectors.addAll(List.of(embedded));
      if (bar != null) {
        bar.update(vectors.size());
      }
    }
    return vectors.toArray(new float[0][]);
  }

  private static String key(ModelManifest manifest, String role, List<String> texts) {
    MessageDigest digest = Digests.sha256();
    digest.update((manifest + "\0" + role + "\0").getBytes(StandardCharsets.UTF_8));
    for (String text : texts) {
      digest.update(text.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 12);
  }

  private static float[][] read(Path file, int count, int dimension) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      byte[] magic = in.readNBytes(MAGIC.length);
      int n = in.readInt();
      int dim = in.readInt();
      if (!Arrays.equals(magic, MAGIC) || n != count || dim != dimension) {
        throw new IOException(file + ": not a vector cache of " + count + " x " + dimension
            + " floats (delete it to re-embed)");
      }
      float[][] vectors = new float[n][dim];
      byte[] row = new byte[dim * Float.BYTES];
      for (float[] vector : vectors) {
        in.readFully(row);
        ByteBuffer.wrap(row).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
      }
      return vectors;
    }
  }

  private void write(Path file, float[][] vectors, int dimension) throws IOException {
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (OutputStream raw = Files.newOutputStream(temp);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
        out.write(MAGIC);
        out.writeInt(vectors.length);
        out.writeInt(dimension);
        ByteBuffer row = ByteBuffer.allocate(dimension * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] vector : vectors) {
          row.clear();
          row.asFloatBuffer().put(vector);
          out.write(row.array());
        }
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
