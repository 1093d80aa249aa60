package dev.whetstone.codec.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A bench's command line: {@code --name value} pairs, each name one the bench knows. Errors name
 * the argument and list the known ones.
 */
public final class BenchArgs {
  private final Map<String, String> values;

  private BenchArgs(Map<String, String> values) {
    this.values = values;
  }

  /** Parses {@code args}; {@code names} are the bench's options, without the leading dashes. */
  public static BenchArgs parse(String[] args, String... names) {
    List<String> known = Arrays.asList(names);
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : null;
      if (name == null || !known.contains(name)) {
        throw new IllegalArgumentException("unknown argument " + args[i] + " (expected "
            + known.stream().map(n -> "--" + n).collect(Collectors.joining(", ")) + ")");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      values.put(name, args[i + 1]);
    }
    return new BenchArgs(values);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public int intValue(String name, int defaultValue) {
    return number(name, Integer::parseInt, defaultValue);
  }

  public long longValue(String name, long defaultValue) {
    return number(name, Long::parseLong, defaultValue);
  }

  public double doubleValue(String name, double defaultValue) {
    return number(name, Double::parseDouble, defaultValue);
  }

  /** A comma-separated list of whole numbers. */
  public int[] intList(String name, int[] defaultValue) {
    return number(name,
        value -> Arrays.stream(value.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray(),
        defaultValue);
  }

  public Path path(String name, Path defaultValue) {
    return has(name) ? Path.of(values.get(name)) : defaultValue;
  }

  private <T> T number(String name, Function<String, T> parser, T defaultValue) {
    String value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return parser.apply(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " " + value + ": not a number", e);
    }
  }
}
