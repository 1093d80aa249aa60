package dev.whetstone.solr;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;

/**
 * Typed reads of {@link SolrParams} whose errors name the parameter and the value it had: a 400
 * for request and local params, a configuration error for a plugin's solrconfig.xml settings.
 * Shared by the query parsers, the update processor factory and the model registry.
 */
public final class CheckedParams {
  private final SolrParams params;
  private final Function<String, SolrException> error;

  private CheckedParams(SolrParams params, Function<String, SolrException> error) {
    this.params = params;
    this.error = error;
  }

  /** Parameters a client sent: mistakes are a 400. */
  public static CheckedParams ofRequest(SolrParams params) {
    return new CheckedParams(params, message -> new SolrException(ErrorCode.BAD_REQUEST, message));
  }

  /** A plugin's settings from solrconfig.xml: mistakes fail the core load with {@code error}. */
  public static CheckedParams ofConfig(NamedList<?> args, Function<String, SolrException> error) {
    return new CheckedParams(args.toSolrParams(), error);
  }

  /** The value, or null when absent. */
  public String get(String name) {
    return params.get(name);
  }

  public String get(String name, String defaultValue) {
    return params.get(name, defaultValue);
  }

  /** A present, non-blank value, trimmed. */
  public String required(String name, String what) {
    String value = params.get(name);
    if (value == null || value.isBlank()) {
      throw error.apply("missing parameter '" + name + "' (" + what + ")");
    }
    return value.trim();
  }

  /** An integer > 0. */
  public int positiveInt(String name, int defaultValue) {
    return integer(name, defaultValue, 1, "an integer > 0");
  }

  /** An integer >= 0. */
  public int nonNegativeInt(String name, int defaultValue) {
    return integer(name, defaultValue, 0, "an integer >= 0");
  }

  /** A finite number >= 0 (a weight, the RRF k). */
  public double nonNegativeNumber(String name, double defaultValue) {
    Double value;
    try {
      value = params.getDouble(name);
    } catch (SolrException e) {
      value = Double.NaN;
    }
    if (value == null) {
      return defaultValue;
    }
    if (value >= 0 && Double.isFinite(value)) {
      return value;
    }
    throw invalid(name, "a finite number >= 0");
  }

  /**
   * A number strictly between 0 and 1 (a probability threshold), or null when absent; {@code
   * what} says in the error what else the caller accepts, e.g. {@code "a number in (0, 1)"}.
   */
  public Double openFraction(String name, String what) {
    String value = params.get(name);
    if (value == null) {
      return null;
    }
    double parsed;
    try {
      parsed = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(name, what);
    }
    if (parsed > 0 && parsed < 1) {
      return parsed;
    }
    throw invalid(name, what);
  }

  /** {@code true} or {@code false}, nothing else. */
  public boolean bool(String name, boolean defaultValue) {
    String value = params.get(name);
    if (value == null) {
      return defaultValue;
    }
    return switch (value.trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(name, "true or false");
    };
  }

  /** One of an enum's constants, named in lower case (case-insensitive). */
  public <E extends Enum<E>> E choice(String name, Class<E> type, E defaultValue) {
    String value = params.get(name);
    if (value == null) {
      return defaultValue;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value.trim())) {
        return constant;
      }
    }
    throw invalid(name, "one of " + Arrays.stream(type.getEnumConstants())
        .map(c -> "'" + c.name().toLowerCase(Locale.ROOT) + "'").toList());
  }

  private int integer(String name, int defaultValue, int min, String what) {
    Integer value;
    try {
      value = params.getInt(name);
    } catch (SolrException e) {
      throw invalid(name, what);
    }
    if (value == null) {
      return defaultValue;
    }
    if (value < min) {
      throw invalid(name, what);
    }
    return value;
  }

  private SolrException invalid(String name, String what) {
    return error.apply(name + " must be " + what + ", got '" + params.get(name) + "'");
  }
}
