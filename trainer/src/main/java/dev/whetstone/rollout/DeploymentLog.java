package dev.whetstone.rollout;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The roll-outs of one model of a collection, kept in its collection property {@code
 * whetstone.NAME.deployments}: a JSON array, newest last, at most {@value #KEEP} entries of {@code
 * {"kind","from","to","at","gate":{...}}}. Entries are kept as read, so fields written by another
 * kind of roll-out survive an append.
 */
public final class DeploymentLog {
  public static final int KEEP = 20;
  public static final String QUERY_TOWER = "query-tower";
  public static final String FULL = "full";
  public static final String ROLLBACK = "rollback";

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  /**
   * What the online gate measured.
   *
   * @param p the one-sided p-value of "the candidate is worse than the current model"
   */
  public record Gate(double current, double candidate, double delta, double p, int queries) {}

  /** One roll-out; {@code gate} is null when none ran (a rollback, or no judged queries). */
  public record Entry(String kind, String from, String to, String at, Gate gate) {}

  private final String property;
  private final JsonArray entries;

  private DeploymentLog(String property, JsonArray entries) {
    this.property = property;
    this.entries = entries;
  }

  /** The collection property holding the log of model {@code model}. */
  public static String property(String model) {
    return "whetstone." + model + ".deployments";
  }

  /** Parses the property's value ({@code null}: no roll-out yet); errors name the property. */
  public static DeploymentLog parse(String property, String json) {
    if (json == null || json.isBlank()) {
      return new DeploymentLog(property, new JsonArray());
    }
    JsonElement parsed;
    try {
      parsed = JsonParser.parseString(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("collection property " + property
          + " is not JSON: " + e.getMessage(), e);
    }
    if (!parsed.isJsonArray()) {
      throw new IllegalArgumentException("collection property " + property
          + " should be a JSON array of deployments, got: " + json);
    }
    DeploymentLog log = new DeploymentLog(property, parsed.getAsJsonArray());
    log.entries(); // fails now, naming the property, on an entry without kind, from or to
    return log;
  }

  public String property() {
    return property;
  }

  /** The log of model {@code model} on a collection. */
  public static DeploymentLog read(SolrAdmin admin, String collection, String model)
      throws IOException {
    return parse(property(model), admin.collectionProperty(collection, property(model)));
  }

  /** Writes this log into its collection property. */
  public void save(SolrAdmin admin, String collection) throws IOException {
    admin.setCollectionProperty(collection, property, toJson());
  }

  /** The entries, oldest first. */
  public List<Entry> entries() {
    List<Entry> list = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      list.add(entry(i));
    }
    return list;
  }

  /** A new log: this one with {@code entry} appended, the oldest dropped beyond {@value #KEEP}. */
  public DeploymentLog append(Entry entry) {
    JsonArray appended = entries.deepCopy();
    appended.add(toJson(entry));
    while (appended.size() > KEEP) {
      appended.remove(0);
    }
    return new DeploymentLog(property, appended);
  }

  /**
   * The newest roll-out still in effect: each rollback entry undoes the newest roll-out before it
   * that no later rollback undid. Null when everything recorded was rolled back (or nothing was).
   */
  public Entry inEffect() {
    int undone = 0;
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry entry = entry(i);
      if (entry.kind().equals(ROLLBACK)) {
        undone++;
      } else if (undone > 0) {
        undone--;
      } else {
        return entry;
      }
    }
    return null;
  }

  public String toJson() {
    return GSON.toJson(entries);
  }

  private Entry entry(int i) {
    JsonElement element = entries.get(i);
    if (!element.isJsonObject()) {
      throw new IllegalArgumentException("collection property " + property + ": entry " + (i + 1)
          + " is not an object: " + element);
    }
    JsonObject json = element.getAsJsonObject();
    Gate gate = null;
    if (json.has("gate") && json.get("gate").isJsonObject()) {
      JsonObject g = json.getAsJsonObject("gate");
      gate = new Gate(g.get("current").getAsDouble(), g.get("candidate").getAsDouble(),
          g.get("delta").getAsDouble(), g.get("p").getAsDouble(), g.get("queries").getAsInt());
    }
    return new Entry(string(json, "kind", i), string(json, "from", i), string(json, "to", i),
        json.has("at") ? json.get("at").getAsString() : null, gate);
  }

  private String string(JsonObject json, String field, int i) {
    JsonElement value = json.get(field);
    if (value == null || !value.isJsonPrimitive()) {
      throw new IllegalArgumentException("collection property " + property + ": entry " + (i + 1)
          + " has no '" + field + "': " + json);
    }
    return value.getAsString();
  }

  private static JsonObject toJson(Entry entry) {
    JsonObject json = new JsonObject();
    json.addProperty("kind", entry.kind());
    json.addProperty("from", entry.from());
    json.addProperty("to", entry.to());
    json.addProperty("at", entry.at());
    if (entry.gate() != null) {
      Gate g = entry.gate();
      JsonObject gate = new JsonObject();
      gate.addProperty("current", g.current());
      gate.addProperty("candidate", g.candidate());
      gate.addProperty("delta", g.delta());
      gate.addProperty("p", g.p());
      gate.addProperty("queries", g.queries());
      json.add("gate", gate);
    }
    return json;
  }
}
