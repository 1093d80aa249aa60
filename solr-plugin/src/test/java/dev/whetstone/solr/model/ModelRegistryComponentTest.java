package dev.whetstone.solr.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.whetstone.model.ModelManifest;
import dev.whetstone.model.Pooling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ModelRegistryComponentTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private Path models;
  private Path conf;
  private Path outside;

  @Before
  public void setUp() throws Exception {
    Path base = tmp.getRoot().toPath().toRealPath();
    models = Files.createDirectories(base.resolve("models"));
    conf = Files.createDirectories(base.resolve("conf"));
    outside = Files.createDirectories(base.resolve("secret"));
    Files.createDirectories(models.resolve("minilm"));
    Files.createDirectories(conf.resolve("local-model"));
  }

  @Test
  public void resolvesInsideTheModelsDirAndTheConfigDir() throws Exception {
    ModelLocator locator = new ModelLocator(models, conf, null);
    assertEquals(models.resolve("minilm"), locator.configured("minilm"));
    assertEquals(conf.resolve("local-model"), locator.configured("local-model"));
    assertEquals(models.resolve("minilm"), locator.configured(models.resolve("minilm").toString()));
  }

  @Test
  public void refusesPathsThatLeaveTheRoots() {
    assertRefused("../secret");
    assertRefused("minilm/../../secret");
    assertRefused(outside.toString());
    assertRefused("/");
  }

  @Test
  public void refusesSymlinksThatLeaveTheRoots() throws Exception {
    Files.createSymbolicLink(models.resolve("link"), outside);
    assertRefused("link");
  }

  @Test
  public void findsAModelByFingerprintOnlyWhereItsManifestNamesIt() throws Exception {
    ModelLocator locator = new ModelLocator(models, conf, null);
    String fingerprint = "ab".repeat(32);
    manifest(fingerprint, null, 384).write(models.resolve("minilm").resolve(ModelManifest.FILE_NAME));
    assertEquals(models.resolve("minilm"), locator.byFingerprint(fingerprint));
    IOException unknown = assertThrows(IOException.class, () -> locator.byFingerprint("cd".repeat(32)));
    assertTrue(unknown.getMessage(), unknown.getMessage().contains("cd".repeat(32))
        && unknown.getMessage().contains(models.toString()));
    // a collection property is data, not a path: nothing but a fingerprint is looked up
    IOException notAFingerprint = assertThrows(IOException.class, () -> locator.byFingerprint("../secret"));
    assertTrue(notAFingerprint.getMessage(), notAFingerprint.getMessage().contains("not a model fingerprint"));
  }

  private void assertRefused(String path) {
    IOException e = assertThrows(IOException.class,
        () -> new ModelLocator(models, conf, null).configured(path));
    assertTrue(e.getMessage(), e.getMessage().contains("'" + path + "'"));
    assertTrue(e.getMessage(), e.getMessage().contains("refused"));
  }

  private static ModelManifest manifest(String fingerprint, String documentTower, int dimension) {
    return new ModelManifest("m", "1", dimension, Pooling.MEAN, true, 256, "", "", "cosine",
        fingerprint, documentTower);
  }
}
