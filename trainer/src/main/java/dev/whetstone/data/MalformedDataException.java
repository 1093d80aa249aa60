package dev.whetstone.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Data that does not have the expected format; the message names where: a file and line, or
 * another source's record (e.g. a Solr collection's document).
 */
public class MalformedDataException extends IOException {
  public MalformedDataException(Path file, long line, String problem) {
    this(file + ":" + line, problem);
  }

  public MalformedDataException(Path file, long line, String problem, Throwable cause) {
    super(file + ":" + line + ": " + problem, cause);
  }

  /** {@code where} names the bad record, e.g. {@code collection ubi_events, document e7}. */
  public MalformedDataException(String where, String problem) {
    super(where + ": " + problem);
  }
}
