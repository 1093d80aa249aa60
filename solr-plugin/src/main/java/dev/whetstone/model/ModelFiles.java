package dev.whetstone.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of a model directory as they are published to Solr's file store: the ONNX file (named
 * by the manifest's fingerprint), the manifest, and the others (tokenizer, calibration), each of
 * which the published manifest pins by its sha256.
 */
public final class ModelFiles {
  private ModelFiles() {}

  /**
   * sha256 of every file of {@code dir} but the ONNX file and the manifest, by name. Hidden files
   * (a leading dot: e.g. the file store's own metadata) are not part of a model.
   */
  public static Map<String, String> digests(Path dir) throws IOException {
    Map<String, String> digests = new TreeMap<>();
    for (String name : others(dir)) {
      digests.put(name, ModelDirectory.sha256(dir.resolve(name)));
    }
    return digests;
  }

  /** The names to upload, the manifest last: its arrival marks a complete model. */
  public static List<String> publishable(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    names.add(ModelDirectory.ONNX_FILE);
    names.addAll(others(dir));
    names.add(ModelManifest.FILE_NAME);
    return names;
  }

  /**
   * Checks a published directory against its manifest: each listed file has its sha256, and no
   * file that the manifest does not pin (and a loader might read) is present. Errors name the file
   * and both digests.
   */
  static void verifyOthers(Path dir, ModelManifest manifest) throws IOException {
    if (manifest.files().isEmpty()) {
      return; // never published: only the ONNX file is pinned, by the fingerprint
    }
    for (Map.Entry<String, String> listed : manifest.files().entrySet()) {
      Path file = dir.resolve(listed.getKey()).normalize();
      if (!file.getParent().equals(dir.normalize()) || !Files.isRegularFile(file)) {
        throw new IOException(dir + ": " + ModelManifest.FILE_NAME + " lists " + listed.getKey()
            + ", which the directory does not hold");
      }
      String actual = ModelDirectory.sha256(file);
      if (!actual.equals(listed.getValue())) {
        throw new IOException(file + " has sha256 " + actual + " but " + ModelManifest.FILE_NAME
            + " of model " + manifest.fingerprint() + " records " + listed.getValue()
            + ": the file was changed after the model was published");
      }
    }
    for (String name : others(dir)) {
      if (!manifest.files().containsKey(name)) {
        throw new IOException(dir.resolve(name) + " is not listed in " + ModelManifest.FILE_NAME
            + " of model " + manifest.fingerprint() + ": refusing a file the model was not published with");
      }
    }
  }

  private static List<String> others(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile)
          .map(file -> file.getFileName().toString())
          .filter(name -> !name.startsWith(".") && !name.equals(ModelDirectory.ONNX_FILE)
              && !name.equals(ModelManifest.FILE_NAME))
          .sorted()
          .toList();
    }
  }
}
