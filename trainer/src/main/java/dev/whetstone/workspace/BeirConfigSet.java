package dev.whetstone.workspace;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds the {@code conf-examples/beir/conf} configset of the source tree the code runs from. */
public final class BeirConfigSet {
  /** Overrides the search: the configset folder to use. */
  public static final String PROPERTY = "whetstone.beir.conf";
  private static final Path RELATIVE = Paths.get("conf-examples", "beir", "conf");

  private BeirConfigSet() {}

  /** The folder named by {@link #PROPERTY}, else the first match in the working dir or a parent. */
  public static Path locate() throws NoSuchFileException {
    String configured = System.getProperty(PROPERTY);
    if (configured != null) {
      return Paths.get(configured);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(RELATIVE).resolve("solrconfig.xml"))) {
        return dir.resolve(RELATIVE);
      }
    }
    throw new NoSuchFileException(RELATIVE.toString(), null, "not found in "
        + Paths.get("").toAbsolutePath() + " or its parents; run from the Whetstone checkout or set -D"
        + PROPERTY);
  }
}
