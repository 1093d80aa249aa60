package dev.whetstone.rollout;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.apache.solr.common.params.CursorMarkParams;

/**
 * How far a copy from one collection to another got: every document before {@code cursorMark}
 * (in unique key order) is acknowledged by the target; and the source's version markers from
 * before the copy began, from which the catch-up starts (also after a resume). A small JSON file, replaced atomically
 * (written beside it, then moved), so a crash leaves the previous checkpoint whole.
 */
final class CopyCheckpoint {
  private static final Gson GSON = new Gson();

  /** The fields of the file. */
  static final class State {
    String source;
    String target;
    String cursorMark;
    long copied;
    Map<String, Long> sourceVersions;
  }

  private final Path file;
  private final String source;
  private final String target;

  CopyCheckpoint(Path workDir, String source, String target) {
    this.file = workDir.resolve("copy-" + source + "-to-" + target + ".json");
    this.source = source;
    this.target = target;
  }

  Path file() {
    return file;
  }

  boolean exists() {
    return Files.exists(file);
  }

  /** A copy from the start, with the source's markers of now. */
  State start(ShardVersions sourceVersions) {
    State start = new State();
    start.source = source;
    start.target = target;
    start.cursorMark = CursorMarkParams.CURSOR_MARK_START;
    start.sourceVersions = sourceVersions.byShard();
    return start;
  }

  /** The saved state. */
  State load() throws IOException {
    State state;
    try {
      state = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), State.class);
    } catch (JsonParseException e) {
      throw new IOException("unreadable copy checkpoint " + file + ": " + e.getMessage(), e);
    }
    if (state == null || state.cursorMark == null || state.sourceVersions == null
        || !source.equals(state.source)
        || !target.equals(state.target)) {
      throw new IOException("copy checkpoint " + file + " is not one of a copy from " + source
          + " to " + target);
    }
    return state;
  }

  /** Saves {@code start} moved on to {@code cursorMark}, {@code copied} documents in all. */
  void save(State start, String cursorMark, long copied) throws IOException {
    State state = new State();
    state.source = source;
    state.target = target;
    state.cursorMark = cursorMark;
    state.copied = copied;
    state.sourceVersions = start.sourceVersions;
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, GSON.toJson(state), StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  void delete() throws IOException {
    Files.deleteIfExists(file);
  }
}
