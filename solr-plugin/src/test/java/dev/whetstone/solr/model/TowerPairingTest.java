package dev.whetstone.solr.model;

import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.whetstone.model.ModelManifest;
import dev.whetstone.model.Pooling;
import java.nio.file.Path;
import org.junit.Test;

public class TowerPairingTest {
  @Test
  public void pairsAQueryTowerWithTheDocumentModelItWasTrainedAgainst() {
    Path docs = Path.of("docs");
    Path queries = Path.of("queries");
    TowerPairing.check("m", docs, manifest("aaa", null, 384), null, null);
    TowerPairing.check("m", docs, manifest("aaa", null, 384), queries,
        manifest("bbb", "aaa", 384));

    IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
        () -> TowerPairing.check("m", docs, manifest("aaa", null, 384), queries,
            manifest("bbb", "ccc", 384)));
    assertTrue(mismatch.getMessage(), mismatch.getMessage().contains("pairs with document model ccc")
        && mismatch.getMessage().contains("is document model aaa"));

    IllegalArgumentException queryOnlyAsDocuments = assertThrows(IllegalArgumentException.class,
        () -> TowerPairing.check("m", docs, manifest("bbb", "aaa", 384), null,
            null));
    assertTrue(queryOnlyAsDocuments.getMessage(),
        queryOnlyAsDocuments.getMessage().contains("query-only model"));

    // a full model in the query role pairs only with itself
    assertThrows(IllegalArgumentException.class,
        () -> TowerPairing.check("m", docs, manifest("aaa", null, 384), queries,
            manifest("ddd", null, 384)));
    assertThrows(IllegalArgumentException.class,
        () -> TowerPairing.check("m", docs, manifest("aaa", null, 384), queries,
            manifest("bbb", "aaa", 768)));
  }

  private static ModelManifest manifest(String fingerprint, String documentTower, int dimension) {
    return new ModelManifest("m", "1", dimension, Pooling.MEAN, true, 256, "", "", "cosine",
        fingerprint, documentTower);
  }
}
