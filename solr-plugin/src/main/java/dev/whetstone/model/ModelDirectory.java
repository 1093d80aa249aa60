package dev.whetstone.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * A self-describing model directory: {@code model.onnx}, {@code tokenizer.json} and {@code
 * whetstone-model.json}. Opening one checks that all three exist and that the ONNX file still has
 * the fingerprint the manifest records.
 */
public final class ModelDirectory {
  public static final String ONNX_FILE = "model.onnx";
  public static final String TOKENIZER_FILE = "tokenizer.json";

  private final Path dir;
  private final ModelManifest manifest;

  private ModelDirectory(Path dir, ModelManifest manifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  /** Opens and verifies a model directory. */
  public static ModelDirectory open(Path dir) throws IOException {
    return open(dir, null);
  }

  /**
   * Opens and verifies a model directory that must be the model {@code expectedFingerprint} (null:
   * any): the manifest names it, the ONNX file hashes to it, and every other file the manifest
   * pins ({@link ModelFiles}) has its recorded sha256.
   */
  public static ModelDirectory open(Path dir, String expectedFingerprint) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("model directory does not exist: " + dir);
    }
    for (String file : new String[] {ONNX_FILE, TOKENIZER_FILE, ModelManifest.FILE_NAME}) {
      if (!Files.isRegularFile(dir.resolve(file))) {
        throw new IOException("model directory " + dir + " has no " + file);
      }
    }
    ModelManifest manifest = ModelManifest.read(dir.resolve(ModelManifest.FILE_NAME));
    if (expectedFingerprint != null && !expectedFingerprint.equals(manifest.fingerprint())) {
      throw new IOException(dir.resolve(ModelManifest.FILE_NAME) + " is model "
          + manifest.fingerprint() + ", expected model " + expectedFingerprint);
    }
    String actual = sha256(dir.resolve(ONNX_FILE));
    if (!actual.equals(manifest.fingerprint())) {
      throw new IOException(dir.resolve(ONNX_FILE) + " has sha256 " + actual + " but "
          + ModelManifest.FILE_NAME + " records fingerprint " + manifest.fingerprint()
          + ": the model file was changed or the manifest belongs to another model");
    }
    ModelFiles.verifyOthers(dir, manifest);
    return new ModelDirectory(dir, manifest);
  }

  public Path path() {
    return dir;
  }

  public Path onnxFile() {
    return dir.resolve(ONNX_FILE);
  }

  public Path tokenizerFile() {
    return dir.resolve(TOKENIZER_FILE);
  }

  public ModelManifest manifest() {
    return manifest;
  }

  /** Writes the files of a model directory into an empty folder. */
  @FunctionalInterface
  public interface Contents {
    void writeTo(Path folder) throws IOException;
  }

  /**
   * Creates a model directory that appears complete or not at all: {@code contents} fill a staging
   * folder beside {@code target}, which then moves into place; returns it opened and verified.
   */
  public static ModelDirectory create(Path target, Contents contents) throws IOException {
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(
          target + " already exists; remove it or pick another directory");
    }
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".staging-");
    try {
      contents.writeTo(staging);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteRecursively(staging);
    }
    return open(target);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Hex sha256 of a file's bytes. */
  public static String sha256(Path file) throws IOException {
    return digest(file, "SHA-256");
  }

  /** Hex digest of a file's bytes by {@code algorithm} (e.g. SHA-512, as Solr's file store records). */
  public static String digest(Path file, String algorithm) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
