package dev.vigil.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How setting values read from text and which bounds they keep, with their messages: the one place
 * these are written, for {@link Setting}, {@link dev.vigil.spi.Settings} and the builders alike.
 * {@code name} is whatever the user wrote: the variable, the property or the method.
 */
public final class Values {
  private Values() {}

  public static int integer(String name, String text, long min, long max) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number between " + min + " and " + max + ", got '" + text + "'",
          e);
    }
  }

  public static long whole(String name, String text, long min, long max) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number between " + min + " and " + max + ", got '" + text + "'",
          e);
    }
  }

  public static long between(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public static double number(String name, String text, double min, double max) {
    try {
      return Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name
              + " must be a number between "
              + number(min)
              + " and "
              + number(max)
              + ", got '"
              + text
              + "'",
          e);
    }
  }

  public static double between(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          name + " must be between " + number(min) + " and " + number(max) + ", got " + value);
    }
    return value;
  }

  /** {@code true}/{@code false}, also {@code 1/0}, {@code yes/no}, {@code on/off}, any case. */
  public static boolean bool(String name, String text) {
    switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
      case "yes":
      case "on":
        return true;
      case "false":
      case "0":
      case "no":
      case "off":
        return false;
      default:
        throw new IllegalArgumentException(
            name
                + " must be true or false (also accepted: 1/0, yes/no, on/off), got '"
                + text
                + "'");
    }
  }

  /** One of {@code allowed} (lower case), compared ignoring case; returned in lower case. */
  public static String choice(String name, String text, List<String> allowed) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    if (!allowed.contains(lower)) {
      throw new IllegalArgumentException(
          name
              + " must be one of "
              + String.join(", ", allowed)
              + " (any case), got '"
              + text
              + "'");
    }
    return lower;
  }

  /** Not blank; stripped. The value is never repeated: it may be a secret. */
  public static String text(String name, String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value.strip();
  }

  /**
   * A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}, a bare
   * {@code 0}, or ISO-8601 ({@code PT5M}).
   */
  public static Duration duration(String name, String text) {
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
      // reported below
    }
    throw new IllegalArgumentException(
        name + " must be a duration such as 30s, 5m, 1h or 1d, got '" + text + "'");
  }

  public static Duration between(String name, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          name + " must be between " + text(min) + " and " + text(max) + ", got " + text(value));
    }
    return value;
  }

  /**
   * An absolute URL with one of {@code schemes} and a host. A secret one (webhook URLs carry their
   * credential in the path) is never quoted back in the message.
   */
  public static URI url(String name, String text, boolean secret, List<String> schemes) {
    String shown = secret ? "(value not shown: it may contain a secret)" : "'" + text + "'";
    String kind = "an absolute " + (schemes.isEmpty() ? "" : String.join(" or ", schemes) + " ");
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          name + " must be " + kind + "URL; the value is malformed " + shown);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.isEmpty()
        || (!schemes.isEmpty() && !schemes.contains(scheme))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          name
              + " must be "
              + kind
              + "URL with a host, such as "
              + (schemes.isEmpty() ? "https" : schemes.get(schemes.size() - 1))
              + "://example.com/hook; got "
              + shown);
    }
    return uri;
  }

  /** The shortest exact form: {@code 0s}, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1d}. */
  public static String text(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.getNano() % 1_000_000 != 0 || d.isNegative()) {
      return d.toString();
    }
    long millis = d.toMillis();
    if (millis % 1000 != 0) {
      return millis + "ms";
    }
    long seconds = d.getSeconds();
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
