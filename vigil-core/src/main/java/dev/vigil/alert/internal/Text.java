package dev.vigil.alert.internal;

import dev.vigil.internal.JsonWriter;
import dev.vigil.spi.Notification;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Text and JSON helpers shared by the channels' formats. */
final class Text {
  static final String ELLIPSIS = "…";

  private Text() {}

  /** {@code 5m}, {@code 1h30m}, {@code 45s}. */
  static String duration(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  /** {@code 2025-01-31 12:00:05 UTC}. */
  static String readable(Instant time) {
    return Notification.readable(time);
  }

  /**
   * At most {@code max} characters, ending in an ellipsis when cut; never splits a surrogate pair.
   */
  static String truncate(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int cut = Math.max(0, max - ELLIPSIS.length());
    if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut) + ELLIPSIS;
  }

  /** One line: line breaks and other control characters become spaces. */
  static String oneLine(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        if (out == null) {
          out = new StringBuilder(text.length()).append(text, 0, i);
        }
        out.append(' ');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /** A context value as text: strings as they are, everything else by {@code toString}. */
  static String show(@Nullable Object value) {
    return String.valueOf(value);
  }

  /** Writes a redacted context value as JSON, keeping numbers, booleans, maps and lists. */
  static void write(JsonWriter json, @Nullable Object value) {
    if (value == null) {
      json.nullValue();
    } else if (value instanceof Boolean) {
      json.value((boolean) (Boolean) value);
    } else if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      json.value(((Number) value).longValue());
    } else if (value instanceof BigDecimal) {
      json.value((BigDecimal) value);
    } else if (value instanceof BigInteger) {
      json.value(new BigDecimal((BigInteger) value));
    } else if (value instanceof Double || value instanceof Float) {
      json.value(((Number) value).doubleValue());
    } else if (value instanceof Map) {
      json.beginObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        json.name(String.valueOf(e.getKey()));
        write(json, e.getValue());
      }
      json.endObject();
    } else if (value instanceof Collection) {
      json.beginArray();
      for (Object item : (Collection<?>) value) {
        write(json, item);
      }
      json.endArray();
    } else {
      json.value(value.toString());
    }
  }
}
