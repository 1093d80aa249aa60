package dev.whetstone.clicks;

import com.google.gson.JsonObject;
import dev.whetstone.data.JsonLines;
import dev.whetstone.data.MalformedDataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads click logs that are not UBI: one impression per line, for teams that can write their logs
 * in this shape more easily than as UBI queries and events.
 *
 * <pre>{"query_id": "q7", "query": "text", "shown": ["d1", "d2"],
 *  "clicks": [{"id": "d2", "position": 2, "dwell": 12.5}]}</pre>
 *
 * <p>{@code query_id} is optional (a missing one becomes {@code <file name>:<line>}); {@code
 * clicks}, a click's {@code position} (1-based) and {@code dwell} (seconds) are optional. A click's
 * position is taken from the shown list; a logged one that disagrees is corrected and counted.
 * Because a line carries its own shown list, a click on a document not in it is a contradiction
 * inside the line and throws {@link MalformedDataException}, as does any syntactic error; a line
 * that shows nothing is dropped and counted.
 */
public final class SimpleImpressionReader {
  static final String NOTHING_SHOWN = "impression with no shown ids";

  public ClickLog read(Path file) throws IOException {
    ClickLogTally tally = new ClickLogTally();
    List<Impression> impressions = new ArrayList<>();
    Map<String, Long> firstLine = new HashMap<>();
    JsonLines.read(file, (object, line) -> {
      tally.lineRead(file);
      LogFields fields = new LogFields(object, file, line);
      String id = fields.optionalString("query_id");
      if (id == null || id.isBlank()) {
        id = file.getFileName() + ":" + line;
      }
      String text = fields.requiredText("query");
      List<String> shown = fields.optionalIds("shown");
      if (shown == null) {
        throw fields.malformed("missing field 'shown'");
      }
      List<Impression.Click> clicks = readClicks(fields, shown, file, line, tally);
      Long previous = firstLine.putIfAbsent(id, line);
      if (previous != null) {
        throw fields.malformed("duplicate query_id '" + id + "' (first on line " + previous + ")");
      }
      if (shown.isEmpty()) {
        tally.dropped(NOTHING_SHOWN);
        return;
      }
      impressions.add(new Impression(id, text, shown, clicks));
      tally.lineUsed();
    });
    Set<String> sessions = new HashSet<>();
    impressions.forEach(impression -> sessions.add(impression.queryId()));
    return new ClickLog(impressions, tally.stats(impressions, sessions));
  }

  private static List<Impression.Click> readClicks(LogFields fields, List<String> shown,
      Path file, long lineNumber, ClickLogTally tally)
      throws MalformedDataException {
    List<Impression.Click> clicks = new ArrayList<>();
    List<JsonObject> logged = fields.objects("clicks");
    for (int i = 0; i < logged.size(); i++) {
      LogFields click = new LogFields(logged.get(i), file, lineNumber, "clicks[" + i + "].");
      String docId = click.requiredString("id");
      int loggedPosition = click.optionalPosition("position");
      double dwell = click.optionalSeconds("dwell");
      int position = ShownPosition.of(shown, docId, loggedPosition);
      if (position == 0) {
        throw click.malformed("field 'clicks[" + i + "].id' names '" + docId + "', which 'shown' does not hold");
      }
      clicks.add(new Impression.Click(docId, position, dwell));
      tally.click(loggedPosition != 0 && loggedPosition != position);
    }
    return clicks;
  }
}
