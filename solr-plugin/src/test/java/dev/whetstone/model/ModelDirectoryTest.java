package dev.whetstone.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ModelDirectoryTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void importedModelRoundTripsItsManifest() throws Exception {
    ModelDirectory dir = TestModels.quantizedMiniLm();
    ModelManifest manifest = dir.manifest();
    assertEquals(Pooling.MEAN, manifest.pooling());
    assertEquals(256, manifest.maxLength());
    assertEquals(ModelDirectory.sha256(dir.onnxFile()), manifest.fingerprint());
    Path copy = tmp.newFile("manifest.json").toPath();
    manifest.write(copy);
    assertEquals(manifest, ModelManifest.read(copy));
  }

  @Test
  public void aChangedOnnxFileIsRefused() throws Exception {
    Path dir = copyOf(TestModels.quantizedMiniLm());
    Files.write(dir.resolve(ModelDirectory.ONNX_FILE), new byte[] {1, 2, 3});
    IOException e = assertThrows(IOException.class, () -> ModelDirectory.open(dir));
    assertTrue(e.getMessage(), e.getMessage().contains("fingerprint"));
  }

  @Test
  public void aManifestWithoutARequiredFieldNamesFileAndField() throws Exception {
    Path dir = copyOf(TestModels.quantizedMiniLm());
    Path manifest = dir.resolve(ModelManifest.FILE_NAME);
    String json = Files.readString(manifest).replaceAll("\"dimension\"\\s*:\\s*\\d+,", "");
    Files.writeString(manifest, json, StandardCharsets.UTF_8);
    IOException e = assertThrows(IOException.class, () -> ModelDirectory.open(dir));
    assertTrue(e.getMessage(), e.getMessage().contains(manifest.toString()));
    assertTrue(e.getMessage(), e.getMessage().contains("'dimension'"));
  }

  @Test
  public void aPublishedDirectoryPinsEveryFileByItsDigest() throws Exception {
    Path dir = copyOf(TestModels.quantizedMiniLm());
    Files.writeString(dir.resolve("calibration.json"), "{}");
    Path manifestFile = dir.resolve(ModelManifest.FILE_NAME);
    ModelManifest published = ModelManifest.read(manifestFile).withFiles(ModelFiles.digests(dir));
    assertEquals(java.util.Set.of(ModelDirectory.TOKENIZER_FILE, "calibration.json"),
        published.files().keySet());
    published.write(manifestFile);
    assertEquals(published, ModelManifest.read(manifestFile));
    assertEquals(java.util.List.of(ModelDirectory.ONNX_FILE, "calibration.json",
        ModelDirectory.TOKENIZER_FILE, ModelManifest.FILE_NAME), ModelFiles.publishable(dir));
    String fingerprint = published.fingerprint();
    ModelDirectory.open(dir, fingerprint);

    IOException other = assertThrows(IOException.class, () -> ModelDirectory.open(dir, "ab".repeat(32)));
    assertTrue(other.getMessage(), other.getMessage().contains(fingerprint)
        && other.getMessage().contains("ab".repeat(32)));

    Files.writeString(dir.resolve("calibration.json"), "{\"threshold\": 0}");
    IOException changed = assertThrows(IOException.class, () -> ModelDirectory.open(dir, fingerprint));
    assertTrue(changed.getMessage(), changed.getMessage().contains(dir.resolve("calibration.json").toString())
        && changed.getMessage().contains(published.files().get("calibration.json")));

    Files.writeString(dir.resolve("calibration.json"), "{}");
    Files.writeString(dir.resolve("extra.json"), "{}");
    IOException unlisted = assertThrows(IOException.class, () -> ModelDirectory.open(dir, fingerprint));
    assertTrue(unlisted.getMessage(), unlisted.getMessage().contains("extra.json"));
    Files.delete(dir.resolve("extra.json"));
    Files.writeString(dir.resolve(".metadata.json"), "{}"); // the file store's own, hidden
    ModelDirectory.open(dir, fingerprint);
  }

  @Test
  public void unknownPretrainedModelListsTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PretrainedModel.byName("gpt-9"));
    assertTrue(e.getMessage(), e.getMessage().contains("all-minilm-l6-v2"));
  }

  private Path copyOf(ModelDirectory source) throws IOException {
    Path dir = tmp.newFolder().toPath();
    for (String file : new String[] {ModelDirectory.ONNX_FILE, ModelDirectory.TOKENIZER_FILE,
        ModelManifest.FILE_NAME}) {
      Files.copy(source.path().resolve(file), dir.resolve(file));
    }
    return dir;
  }
}
