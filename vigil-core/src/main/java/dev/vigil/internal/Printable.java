package dev.vigil.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import org.jspecify.annotations.Nullable;

/**
 * Caller-supplied values as they may appear in a warning or an exception message: short, on one
 * line, and computed in bounded work whatever was passed. A {@code BigDecimal} of scale 10^9 has a
 * plain form a billion digits long; a string can be megabytes; a {@code toString()} can throw.
 */
public final class Printable {
  /** The most characters of a caller's text quoted in a message. */
  public static final int MAX_TEXT = 64;

  private static final int MAX_PLAIN_DIGITS = 40;

  private Printable() {}

  /**
   * {@code text} cut to {@value #MAX_TEXT} characters, control characters and lone surrogates as ?.
   */
  public static String text(@Nullable String text) {
    return text(text, MAX_TEXT);
  }

  public static String text(@Nullable String text, int max) {
    if (text == null) {
      return "null";
    }
    boolean cut = text.length() > max;
    String shown = cut ? LabelPolicy.truncate(text, max) : text;
    StringBuilder out = null;
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < shown.length()
              && Character.isLowSurrogate(shown.charAt(i + 1));
      boolean bad = Character.isISOControl(c) || (Character.isSurrogate(c) && !pair);
      if (bad && out == null) {
        out = new StringBuilder(shown.length() + 1).append(shown, 0, i);
      }
      if (out != null) {
        out.append(bad ? '?' : c);
        if (pair) {
          out.append(shown.charAt(++i));
        }
      } else if (pair) {
        i++;
      }
    }
    String result = out == null ? shown : out.toString();
    return cut ? result + "… (" + text.length() + " characters)" : result;
  }

  /**
   * A decimal in plain notation when that is short ({@code 19.99}), otherwise in scientific
   * notation with at most 12 significant digits ({@code 1E-999999999}).
   */
  public static String decimal(BigDecimal value) {
    try {
      int scale = value.scale();
      int precision = value.precision();
      if (precision <= MAX_PLAIN_DIGITS
          && scale <= MAX_PLAIN_DIGITS
          && scale >= -MAX_PLAIN_DIGITS) {
        return value.toPlainString();
      }
      return precision <= 12
          ? value.toString()
          : value.round(new MathContext(12)).toString() + " (" + precision + " digits)";
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t); // a subclass of BigDecimal that misbehaves
      return "[unprintable " + Throwables.describe(t) + "]";
    }
  }

  /** {@code String.valueOf(value)}, bounded, and never throwing. */
  public static String value(@Nullable Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof BigDecimal) {
      return decimal((BigDecimal) value);
    }
    if (value instanceof java.math.BigInteger) {
      int bits = ((java.math.BigInteger) value).bitLength();
      if (bits > 256) {
        return "[a " + bits + "-bit integer]"; // its decimal text costs time quadratic in length
      }
    }
    if (value instanceof java.util.Map
        || value instanceof java.util.Collection
        || value.getClass().isArray()) {
      return "[a " + value.getClass().getSimpleName() + "]"; // never walk the caller's container
    }
    try {
      return text(String.valueOf(value));
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      return "[unprintable " + value.getClass().getName() + "]";
    }
  }
}
