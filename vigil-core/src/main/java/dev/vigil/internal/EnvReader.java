package dev.vigil.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads of environment variables. A blank variable counts as unset; a malformed one fails at
 * once with a message naming the variable, the value and what is accepted.
 */
public final class EnvReader {
  private final Map<String, String> variables;

  public EnvReader(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  public Map<String, String> variables() {
    return variables;
  }

  public @Nullable String string(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** The first of the names that is set. */
  public @Nullable String firstString(String... names) {
    for (String name : names) {
      String value = string(name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /**
   * One of {@code allowed}, compared ignoring case, returned in lower case.
   *
   * @throws IllegalArgumentException naming the variable, the value and the allowed values
   */
  public @Nullable String choice(String name, List<String> allowed) {
    String value = string(name);
    if (value == null) {
      return null;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (!allowed.contains(lower)) {
      throw new IllegalArgumentException(
          name
              + " must be one of "
              + String.join(", ", allowed)
              + " (any case), got '"
              + value
              + "'");
    }
    return lower;
  }

  public @Nullable Boolean bool(String name) {
    String value = string(name);
    if (value == null) {
      return null;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
      case "yes":
      case "on":
        return Boolean.TRUE;
      case "false":
      case "0":
      case "no":
      case "off":
        return Boolean.FALSE;
      default:
        throw new IllegalArgumentException(
            name
                + " must be true or false (also accepted: 1/0, yes/no, on/off), got '"
                + value
                + "'");
    }
  }

  public @Nullable Integer integer(String name, int min, int max) {
    String value = string(name);
    if (value == null) {
      return null;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number between " + min + " and " + max + ", got '" + value + "'",
          e);
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", got " + parsed);
    }
    return parsed;
  }

  public @Nullable Double decimal(String name, double min, double max) {
    String value = string(name);
    if (value == null) {
      return null;
    }
    double parsed;
    try {
      parsed = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a number between " + min + " and " + max + ", got '" + value + "'", e);
    }
    if (!(parsed >= min && parsed <= max)) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", got " + value);
    }
    return parsed;
  }

  /** A duration such as {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d} or {@code PT5M}. */
  public @Nullable Duration duration(String name) {
    String value = string(name);
    return value == null ? null : parseDuration(name, value);
  }

  /**
   * Parses {@code <number><unit>} with unit {@code ms}, {@code s}, {@code m}, {@code h} or {@code
   * d}, a bare {@code 0}, or ISO-8601 ({@code PT5M}).
   *
   * @throws IllegalArgumentException naming {@code setting}
   */
  public static Duration parseDuration(String setting, String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (value.equals("0")) {
        return Duration.ZERO;
      }
      if (value.startsWith("p")) {
        return Duration.parse(value.toUpperCase(Locale.ROOT));
      }
      int unitStart = 0;
      while (unitStart < value.length() && Character.isDigit(value.charAt(unitStart))) {
        unitStart++;
      }
      long amount = Long.parseLong(value.substring(0, unitStart));
      switch (value.substring(unitStart)) {
        case "ms":
          return Duration.ofMillis(amount);
        case "s":
          return Duration.ofSeconds(amount);
        case "m":
          return Duration.ofMinutes(amount);
        case "h":
          return Duration.ofHours(amount);
        case "d":
          return Duration.ofDays(amount);
        default:
          break;
      }
    } catch (RuntimeException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        setting + " must be a duration such as 30s, 5m, 1h or 1d, got '" + text + "'");
  }

  /**
   * A secret given either directly in {@code name} or as a path in {@code name + "_FILE"} (the
   * Docker and Kubernetes secrets convention). The secret itself never appears in a message.
   */
  public @Nullable String secret(String name) {
    String direct = string(name);
    String file = string(name + "_FILE");
    if (direct != null && file != null) {
      throw new IllegalArgumentException(
          "Both " + name + " and " + name + "_FILE are set; set only one of them.");
    }
    if (file == null) {
      return direct;
    }
    try {
      String content = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      if (content.isEmpty()) {
        throw new IllegalArgumentException(name + "_FILE points to an empty file: " + file);
      }
      return content;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          name + "_FILE points to a file that cannot be read: " + file + " (" + e + ")", e);
    }
  }
}
