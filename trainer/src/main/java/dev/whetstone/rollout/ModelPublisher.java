package dev.whetstone.rollout;

import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelFiles;
import dev.whetstone.model.ModelManifest;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Publishes a model directory to Solr's replicated file store under {@code
 * /whetstone/models/<fingerprint>/}, from where every node loads it: every file of the directory,
 * the manifest last (its arrival marks a complete model) and with the sha256 of the other files
 * filled in, so a node verifies each file it loads.
 */
public final class ModelPublisher {
  /** The file store folder of the published models. */
  public static final String ROOT = "whetstone/models";

  private static final Duration COPY_TIMEOUT = Duration.ofSeconds(120);
  /** Solr's file store copies no bigger file between nodes unless max.file.store.size says so. */
  private static final long DEFAULT_MAX_FILE_SIZE = 100L << 20;

  private final URI filesApi;
  private final URI metadataApi;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** @param solrUrl e.g. {@code http://host:8983/solr}; the file store API is beside it, at /api */
  public ModelPublisher(String solrUrl, PrintStream out) {
    URI fileStore = URI.create(solrUrl.replaceAll("/+$", "") + "/").resolve("../api/cluster/filestore/");
    this.filesApi = fileStore.resolve("files/");
    this.metadataApi = fileStore.resolve("metadata/");
    this.out = out;
  }

  /**
   * Verifies the directory (model.onnx must have the manifest's fingerprint) and uploads it;
   * returns the seconds spent. A file the file store already holds with the same bytes is not
   * sent again; one it holds with other bytes is an error naming it.
   */
  public double publish(Path dir, Collection<String> nodes) throws IOException, InterruptedException {
    long start = System.nanoTime();
    ModelManifest manifest = ModelDirectory.open(dir).manifest();
    String fingerprint = manifest.fingerprint();
    out.printf("Publishing %s (%s) to Solr's file store: /%s/%s/%n", dir, manifest.name(), ROOT,
        fingerprint);
    Path published = Files.createTempFile("whetstone-model", ".json");
    Map<String, Long> sizes = new LinkedHashMap<>();
    try {
      manifest.withFiles(ModelFiles.digests(dir)).write(published);
      for (String name : ModelFiles.publishable(dir)) {
        Path file = name.equals(ModelManifest.FILE_NAME) ? published : dir.resolve(name);
        upload(name, file, ROOT + "/" + fingerprint + "/" + name);
        sizes.put(name, Files.size(file));
      }
    } finally {
      Files.deleteIfExists(published);
    }
    awaitCopies(fingerprint, sizes, nodes);
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT, "Published in %.1f s%n", seconds);
    return seconds;
  }

  /**
   * Uploads one file unless the file store holds it already. A file published under that name
   * with other bytes is an error naming it: Solr 9.10 would answer a second upload with HTTP 500
   * (NodeExists in ZooKeeper), and a model's files never change under its fingerprint.
   */
  private void upload(String name, Path file, String path) throws IOException, InterruptedException {
    long start = System.nanoTime();
    String local = sha512(file);
    String published = publishedSha512(path);
    if (published != null && !published.equals(local)) {
      throw new IOException("the file store already holds /" + path + " with sha512 " + published
          + ", but " + file + " has sha512 " + local + ": a file of the model directory changed "
          + "after the model was published (a model's files never change under its fingerprint)");
    }
    if (published == null) {
      HttpResponse<String> response = send(HttpRequest.newBuilder(filesApi.resolve(path))
          .PUT(HttpRequest.BodyPublishers.ofFile(file))
          .header("Content-Type", "application/octet-stream").build(), "uploading " + name);
      if (response.statusCode() / 100 != 2) {
        throw new IOException("uploading " + name + " to " + filesApi.resolve(path) + ": HTTP "
            + response.statusCode() + ": " + firstLine(response.body())
            + (response.statusCode() == 403 || response.body().contains("enable.packages")
                ? " (start every node with -Denable.packages=true)" : ""));
      }
    }
    out.printf(Locale.ROOT, "  %-22s %7.1f MB %6.1f s%s%n", name, Files.size(file) / 1e6,
        (System.nanoTime() - start) / 1e9, published != null ? " (already published)" : "");
  }

  /**
   * Waits until each node holds whole copies: Solr copies an upload to the other nodes in the
   * background, creating each file before filling it, so a core loading the model meanwhile
   * would read part of a file. A node's metadata API lists its own copies and their sizes.
   */
  private void awaitCopies(String fingerprint, Map<String, Long> sizes, Collection<String> nodes)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + COPY_TIMEOUT.toNanos();
    for (String node : nodes) {
      URI nodeMetadata = URI.create(node.replaceAll("/+$", "") + "/")
          .resolve("../api/cluster/filestore/metadata/");
      for (Map.Entry<String, Long> file : sizes.entrySet()) {
        URI url = nodeMetadata.resolve(ROOT + "/" + fingerprint + "/" + file.getKey());
        while (true) {
          HttpResponse<String> response = send(HttpRequest.newBuilder(url).GET().build(),
              "reading the metadata of " + file.getKey() + " on " + node);
          JsonElement size = response.statusCode() / 100 == 2
              ? find(JsonParser.parseString(response.body()), "size") : null;
          if (size != null && size.getAsLong() == file.getValue()) {
            break;
          }
          if (System.nanoTime() > deadline) {
            throw new IOException(node + " holds no whole copy of /" + ROOT + "/" + fingerprint
                + "/" + file.getKey() + " (" + file.getValue() + " bytes) after "
                + COPY_TIMEOUT.toSeconds() + " s: is the node's file store working (solr.log)?"
                + (file.getValue() > DEFAULT_MAX_FILE_SIZE ? " Files over 100 MB need "
                    + "-Dmax.file.store.size=<bytes> on every node." : ""));
          }
          Thread.sleep(200);
        }
      }
    }
    out.printf("Whole copies on %d node(s)%n", nodes.size());
  }

  /** The sha512 the file store records for a path; null when it holds no such file. */
  private String publishedSha512(String path) throws IOException, InterruptedException {
    URI url = metadataApi.resolve(path);
    HttpResponse<String> response = send(HttpRequest.newBuilder(url).GET().build(),
        "reading the metadata of /" + path);
    if (response.statusCode() == 404) {
      return null;
    }
    if (response.statusCode() / 100 != 2) {
      throw new IOException("reading " + url + ": HTTP " + response.statusCode() + ": "
          + firstLine(response.body()));
    }
    JsonElement sha512 = find(JsonParser.parseString(response.body()), "sha512");
    return sha512 == null ? null : sha512.getAsString();
  }

  /** The first value of {@code key} anywhere in {@code json}. */
  private static JsonElement find(JsonElement json, String key) {
    if (json.isJsonObject()) {
      for (Map.Entry<String, JsonElement> e : json.getAsJsonObject().entrySet()) {
        JsonElement found = e.getKey().equals(key) ? e.getValue() : find(e.getValue(), key);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private HttpResponse<String> send(HttpRequest request, String what)
      throws IOException, InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException(what + " at " + request.uri() + ": " + e.getMessage(), e);
    }
  }

  private static String firstLine(String body) {
    String line = body.strip().lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  private static String sha512(Path file) throws IOException {
    return ModelDirectory.digest(file, "SHA-512");
  }
}
