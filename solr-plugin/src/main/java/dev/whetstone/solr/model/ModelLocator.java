package dev.whetstone.solr.model;

import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.solr.WhetstoneParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.solr.core.SolrCore;
import org.apache.solr.filestore.FileStore;

/**
 * Finds a core's model directories: by the path solrconfig.xml gives (inside the models directory
 * or the configset's conf folder, nothing else), or by fingerprint — in Solr's file store, where
 * {@code whetstone deploy} publishes models and from which a node fetches what it lacks, else in
 * the models directory.
 */
final class ModelLocator {
  /** Where published models live in the file store: {@code /whetstone/models/<fingerprint>/}. */
  static final String FILE_STORE_ROOT = "/whetstone/models/";
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");

  private final Path modelsDir;
  private final Path configDir;
  private final FileStore fileStore;

  /** @param fileStore the node's file store, or null (standalone Solr) */
  ModelLocator(Path modelsDir, Path configDir, FileStore fileStore) {
    this.modelsDir = modelsDir;
    this.configDir = configDir;
    this.fileStore = fileStore;
  }

  /**
   * The locator of {@code core}: its models directory is {@code modelsDir} (the component's
   * argument), else the system property {@value WhetstoneParams#MODELS_DIR_PROPERTY}, else
   * {@code SOLR_HOME/models}; the file store only in SolrCloud.
   */
  static ModelLocator forCore(SolrCore core, String modelsDir) {
    return new ModelLocator(modelsDir(core, modelsDir), core.getResourceLoader().getConfigPath(),
        core.getCoreContainer().isZooKeeperAware() ? core.getCoreContainer().getFileStore() : null);
  }

  private static Path modelsDir(SolrCore core, String configured) {
    if (configured == null || configured.isEmpty()) {
      configured = System.getProperty(WhetstoneParams.MODELS_DIR_PROPERTY, "");
    }
    if (configured.isEmpty()) {
      return Paths.get(core.getCoreContainer().getSolrHome()).resolve("models").toAbsolutePath().normalize();
    }
    return Paths.get(configured).toAbsolutePath().normalize();
  }

  /**
   * A model directory inside the models directory or the configset's conf folder; any other path
   * is refused, so a configset cannot make a node read arbitrary files.
   */
  Path configured(String path) throws IOException {
    List<Path> roots = new ArrayList<>();
    roots.add(modelsDir);
    if (configDir != null && Files.isDirectory(configDir)) {
      roots.add(configDir.toAbsolutePath().normalize());
    }
    for (Path root : roots) {
      Path candidate = root.resolve(path).normalize();
      if (candidate.startsWith(root) && Files.isDirectory(candidate)
          && candidate.toRealPath().startsWith(root.toRealPath())) {
        return candidate;
      }
    }
    throw new IOException("path '" + path + "' is not a model directory inside " + roots
        + " (paths outside them are refused)");
  }

  /**
   * Whether {@code dir} is a copy in Solr's file store, which a node may still be writing in the
   * background (Solr creates the file, then fills it) when a core first reads it.
   */
  boolean isPublished(Path dir) {
    return fileStore != null && dir.startsWith(fileStore.getRealpath(FILE_STORE_ROOT));
  }

  /**
   * The directory of model {@code fingerprint}: the file store's copy (fetched from another node
   * when this one lacks it), else a directory of the models directory whose manifest names it. The
   * caller verifies the files ({@link ModelDirectory#open(Path, String)}).
   */
  Path byFingerprint(String fingerprint) throws IOException {
    if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches()) {
      throw new IOException("'" + fingerprint + "' is not a model fingerprint (64 hex digits)");
    }
    String published = FILE_STORE_ROOT + fingerprint;
    if (fileStore != null
        && fileStore.getType(published + "/" + ModelManifest.FILE_NAME, true) == FileStore.FileType.FILE) {
      ModelManifest manifest =
          ModelManifest.read(fileStore.getRealpath(published + "/" + ModelManifest.FILE_NAME));
      List<String> files = new ArrayList<>(manifest.files().keySet());
      files.add(ModelDirectory.ONNX_FILE);
      for (String file : files) {
        if (fileStore.getType(published + "/" + file, true) != FileStore.FileType.FILE) {
          throw new IOException("Solr's file store holds " + published + "/" + ModelManifest.FILE_NAME
              + " but no node has " + published + "/" + file + ": publish the model again");
        }
      }
      return fileStore.getRealpath(published);
    }
    if (Files.isDirectory(modelsDir)) {
      try (Stream<Path> dirs = Files.list(modelsDir)) {
        for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
          Path manifest = dir.resolve(ModelManifest.FILE_NAME);
          if (Files.isRegularFile(manifest)
              && fingerprint.equals(ModelManifest.read(manifest).fingerprint())) {
            return dir;
          }
        }
      }
    }
    throw new IOException("model " + fingerprint + " is neither in Solr's file store ("
        + published + ", publish it with 'whetstone deploy') nor in the models directory " + modelsDir);
  }
}
