package dev.whetstone.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.lucene.util.IOUtils;

/** Puts a promoted candidate in the output folder: one atomic move of the exported directory. */
final class CandidateMove {
  private final Path output;

  CandidateMove(Path output) {
    this.output = output;
  }

  /** Moves {@code candidateDir} to the output (an empty output folder is replaced). */
  Path moveToOutput(Path candidateDir) throws IOException {
    Files.createDirectories(output.toAbsolutePath().getParent());
    IOUtils.rm(output);
    Files.move(candidateDir, output, StandardCopyOption.ATOMIC_MOVE);
    return output;
  }
}
