package dev.whetstone.solr.model;

import dev.whetstone.model.ModelManifest;
import dev.whetstone.solr.WhetstoneParams;
import java.nio.file.Path;

/**
 * Whether a document model and a query tower belong together: their vectors must be comparable
 * with the index's.
 */
final class TowerPairing {
  private TowerPairing() {}

  /**
   * Refuses a query-only model in the document role, and a query tower trained against another
   * document model: its vectors would not be comparable with the index's.
   *
   * @param queryDir the query tower's directory, or null when the document model embeds queries
   */
  static void check(String name, Path documentDir, ModelManifest documents, Path queryDir,
      ModelManifest queries) {
    if (documents.documentTowerFingerprint() != null) {
      throw new IllegalArgumentException(documentDir + " holds a query-only model (it pairs with "
          + "document model " + documents.documentTowerFingerprint() + "): declare it as '"
          + WhetstoneParams.QUERY_PATH + "' of model '" + name + "', beside the '"
          + WhetstoneParams.PATH + "' of the document model it was trained against");
    }
    if (queryDir == null) {
      return;
    }
    if (!queries.pairedDocumentFingerprint().equals(documents.fingerprint())) {
      throw new IllegalArgumentException("query model " + queryDir + " pairs with document model "
          + queries.pairedDocumentFingerprint() + ", but '" + WhetstoneParams.PATH + "' "
          + documentDir + " is document model " + documents.fingerprint() + ": its query vectors "
          + "would not match the indexed vectors; pair it with the model it was trained against");
    }
    if (queries.dimension() != documents.dimension()) {
      throw new IllegalArgumentException("query model " + queryDir + " has dimension "
          + queries.dimension() + " but document model " + documentDir + " has "
          + documents.dimension());
    }
  }
}
