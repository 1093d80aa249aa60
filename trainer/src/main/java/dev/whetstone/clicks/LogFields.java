package dev.whetstone.clicks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.whetstone.data.MalformedDataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Typed access to the fields of one log record, so that every bad value is reported with where the
 * record is (file and line, or collection and document) and the field's name rather than as a Gson
 * exception.
 */
final class LogFields {
  private final JsonObject object;
  private final String where;
  private final UnaryOperator<String> names;

  LogFields(JsonObject object, Path file, long line) {
    this(object, file, line, "");
  }

  /** Fields of an object nested in the line, named in messages as {@code prefix + field}. */
  LogFields(JsonObject object, Path file, long line, String prefix) {
    this(object, file + ":" + line, path -> prefix + path);
  }

  /**
   * Fields of a record that {@code where} names in messages; {@code names} gives the name a message
   * uses for a field path, so that a record converted from another shape (a flat Solr document)
   * is reported with its own field names.
   */
  LogFields(JsonObject object, String where, UnaryOperator<String> names) {
    this.object = object;
    this.where = where;
    this.names = names;
  }

  MalformedDataException malformed(String problem) {
    return new MalformedDataException(where, problem);
  }

  /** The value at a dotted path such as {@code event_attributes.object.object_id}; null if absent. */
  JsonElement at(String path) throws MalformedDataException {
    JsonElement current = object;
    String walked = "";
    for (String name : path.split("\\.")) {
      if (current == null || current.isJsonNull()) {
        return null;
      }
      if (!current.isJsonObject()) {
        throw malformed("field '" + names.apply(walked) + "' is not an object");
      }
      current = current.getAsJsonObject().get(name);
      walked = walked.isEmpty() ? name : walked + "." + name;
    }
    return current == null || current.isJsonNull() ? null : current;
  }

  /** A string (or number written as one) at {@code path}; null when absent. */
  String optionalString(String path) throws MalformedDataException {
    JsonElement value = at(path);
    if (value == null) {
      return null;
    }
    if (!value.isJsonPrimitive() || value.getAsJsonPrimitive().isBoolean()) {
      throw malformed("field '" + names.apply(path) + "' is not a string");
    }
    return value.getAsString();
  }

  String requiredString(String path) throws MalformedDataException {
    String value = optionalString(path);
    if (value == null) {
      throw malformed("missing field '" + names.apply(path) + "'");
    }
    return value;
  }

  /** A required string that must hold more than whitespace, such as a query text. */
  String requiredText(String path) throws MalformedDataException {
    String value = requiredString(path);
    if (value.isBlank()) {
      throw malformed("field '" + names.apply(path) + "' is empty");
    }
    return value;
  }

  /** A list of string ids at {@code path}; null when absent. */
  List<String> optionalIds(String path) throws MalformedDataException {
    JsonElement value = at(path);
    if (value == null) {
      return null;
    }
    if (!value.isJsonArray()) {
      throw malformed("field '" + names.apply(path) + "' is not a list");
    }
    List<String> ids = new ArrayList<>();
    for (JsonElement id : value.getAsJsonArray()) {
      if (id.isJsonNull() || !id.isJsonPrimitive() || id.getAsJsonPrimitive().isBoolean()) {
        throw malformed("field '" + names.apply(path) + "' holds a value that is not an id: " + id);
      }
      ids.add(id.getAsString());
    }
    return ids;
  }

  /** A list of objects at {@code path}; empty when absent. */
  List<JsonObject> objects(String path) throws MalformedDataException {
    JsonElement value = at(path);
    List<JsonObject> objects = new ArrayList<>();
    if (value == null) {
      return objects;
    }
    if (!value.isJsonArray()) {
      throw malformed("field '" + names.apply(path) + "' is not a list");
    }
    JsonArray array = value.getAsJsonArray();
    for (JsonElement element : array) {
      if (!element.isJsonObject()) {
        throw malformed("field '" + names.apply(path) + "' holds a value that is not an object: " + element);
      }
      objects.add(element.getAsJsonObject());
    }
    return objects;
  }

  /** A 1-based position at {@code path}; 0 when absent. */
  int optionalPosition(String path) throws MalformedDataException {
    return optionalInteger(path, 1, "positions are 1-based");
  }

  /** A result offset such as a request's {@code start} at {@code path}; 0 when absent. */
  int optionalOffset(String path) throws MalformedDataException {
    return optionalInteger(path, 0, "an offset");
  }

  private int optionalInteger(String path, int min, String why) throws MalformedDataException {
    JsonElement value = at(path);
    if (value == null) {
      return 0;
    }
    int number;
    try {
      if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
        throw new NumberFormatException();
      }
      number = value.getAsBigDecimal().intValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw malformed("field '" + names.apply(path) + "' is not an integer: " + value);
    }
    if (number < min) {
      throw malformed("field '" + names.apply(path) + "' must be >= " + min + " (" + why + "), got "
          + number);
    }
    return number;
  }

  /** A non-negative number of seconds at {@code path}; NaN when absent. */
  double optionalSeconds(String path) throws MalformedDataException {
    JsonElement value = at(path);
    if (value == null) {
      return Double.NaN;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      throw malformed("field '" + names.apply(path) + "' is not a number: " + value);
    }
    double seconds = value.getAsDouble();
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw malformed("field '" + names.apply(path) + "' must be a non-negative number of seconds, got " + value);
    }
    return seconds;
  }
}
