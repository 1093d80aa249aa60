package dev.whetstone.data;

import java.io.IOException;
import java.nio.file.Path;

/** A data file that does not have the expected format; the message names the file and line. */
public class MalformedDataException extends IOException {
  public MalformedDataException(Path file, long line, String problem) {
    super(file + ":" + line + ": " + problem);
  }

  public MalformedDataException(Path file, long line, String problem, Throwable cause) {
    super(file + ":" + line + ": " + problem, cause);
  }
}
