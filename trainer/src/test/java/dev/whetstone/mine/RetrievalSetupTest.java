package dev.whetstone.mine;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import org.junit.Test;

/** The teacher rule every command shares: which teacher names mean the model itself. */
public class RetrievalSetupTest {
  private final Path models = Path.of("models");
  private final Path bge = models.resolve("bge-small-en-v1.5");

  @Test
  public void modelMeansTheModelItself() {
    assertTrue(RetrievalSetup.denotesModel("model", models, bge));
    assertTrue(RetrievalSetup.denotesModel("model", null, Path.of("anywhere")));
  }

  @Test
  public void theModelsOwnNameMeansTheModelItself() {
    assertTrue(RetrievalSetup.denotesModel("bge-small-en-v1.5", models, bge));
    assertTrue(RetrievalSetup.denotesModel(" BGE-small-en-v1.5 ", models,
        bge.toAbsolutePath()));
  }

  @Test
  public void anotherModelOrNoneIsNotTheModel() {
    assertFalse(RetrievalSetup.denotesModel("bge-small-en-v1.5", models,
        models.resolve("all-minilm-l6-v2")));
    assertFalse(RetrievalSetup.denotesModel("none", models, models.resolve("none")));
    // an exported model elsewhere is not the pretrained model of the same name
    assertFalse(RetrievalSetup.denotesModel("bge-small-en-v1.5", models,
        Path.of("out", "bge-small-en-v1.5")));
    assertFalse(RetrievalSetup.denotesModel("bge-small-en-v1.5", null, bge));
  }
}
