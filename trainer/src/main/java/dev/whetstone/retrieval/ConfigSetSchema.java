package dev.whetstone.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.lucene.util.Version;
import org.apache.solr.core.SolrResourceLoader;
import org.apache.solr.schema.IndexSchema;
import org.apache.solr.schema.IndexSchemaFactory;

/**
 * The schema of a configset folder, read by Solr's own schema classes: the trainer analyzes and
 * scores text with the very field types and similarity a collection of that configset uses.
 */
public final class ConfigSetSchema {
  private static final String SCHEMA_FILE = "schema.xml";
  private static final List<String> SCHEMA_NAMES = List.of("managed-schema.xml", "managed-schema",
      SCHEMA_FILE);

  private ConfigSetSchema() {}

  /** Loads {@code managed-schema.xml}, {@code managed-schema} or {@code schema.xml} of a conf dir. */
  public static IndexSchema load(Path confDir) throws IOException {
    String name = schemaFile(confDir);
    SolrResourceLoader loader = new SolrResourceLoader(confDir.toAbsolutePath());
    try {
      return new IndexSchema(name, IndexSchemaFactory.getConfigResource(null, null, loader, name),
          Version.LATEST, loader, new Properties());
    } catch (RuntimeException e) {
      throw new IOException("cannot load the schema " + confDir.resolve(name) + ": " + e.getMessage(), e);
    }
  }

  /** Hex sha256 over the names and bytes of every file in the conf dir: changes when analysis may. */
  public static String fingerprint(Path confDir) throws IOException {
    MessageDigest digest = Digests.sha256();
    try (Stream<Path> files = Files.walk(confDir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        digest.update(confDir.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
        digest.update(Files.readAllBytes(file));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String schemaFile(Path confDir) throws NoSuchFileException {
    for (String name : SCHEMA_NAMES) {
      if (Files.isRegularFile(confDir.resolve(name))) {
        return name;
      }
    }
    throw new NoSuchFileException(confDir.toString(), null, "not a configset conf folder: no "
        + String.join(", ", SCHEMA_NAMES));
  }
}
