package dev.vigil.internal;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * A minimal streaming JSON writer for the fixed documents the core serves ({@code /kpi}). The core
 * only ever writes JSON, so this and {@link Json#quote} replace a JSON library dependency. Numbers
 * are written so that a JSON parser reads back exactly the double Prometheus exposes.
 */
public final class JsonWriter {
  private final StringBuilder out = new StringBuilder(1024);
  private boolean[] needsComma = new boolean[16];
  private int depth;
  private boolean afterName;

  public JsonWriter beginObject() {
    return open('{');
  }

  public JsonWriter endObject() {
    return close('}');
  }

  public JsonWriter beginArray() {
    return open('[');
  }

  public JsonWriter endArray() {
    return close(']');
  }

  public JsonWriter name(String name) {
    separate();
    Json.quote(out, name).append(':');
    afterName = true;
    return this;
  }

  public JsonWriter value(@Nullable String value) {
    separate();
    Json.quote(out, value);
    return this;
  }

  public JsonWriter value(long value) {
    separate();
    out.append(value);
    return this;
  }

  /**
   * Whole numbers as integers, others in Java's round-trip notation; NaN and infinities as null.
   */
  public JsonWriter value(double value) {
    separate();
    out.append(number(value));
    return this;
  }

  /** An exact decimal, without trailing zeros or exponent. */
  public JsonWriter value(@Nullable BigDecimal value) {
    separate();
    out.append(value == null ? "null" : plain(value));
    return this;
  }

  public JsonWriter value(boolean value) {
    separate();
    out.append(value);
    return this;
  }

  /**
   * Appends the members of {@code object}, a complete object written by another writer, to the
   * object being written here: how a document is assembled from parts that each may fail alone.
   */
  public JsonWriter members(JsonWriter object) {
    String text = object.out.toString();
    if (text.length() > 2) {
      separate();
      out.append(text, 1, text.length() - 1);
    }
    return this;
  }

  public JsonWriter nullValue() {
    separate();
    out.append("null");
    return this;
  }

  static String number(double value) {
    if (!Double.isFinite(value)) {
      return "null";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }

  static String plain(BigDecimal value) {
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }

  private JsonWriter open(char bracket) {
    separate();
    out.append(bracket);
    depth++;
    if (depth == needsComma.length) {
      needsComma = java.util.Arrays.copyOf(needsComma, depth * 2);
    }
    needsComma[depth] = false;
    return this;
  }

  private JsonWriter close(char bracket) {
    depth--;
    out.append(bracket);
    return this;
  }

  private void separate() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (needsComma[depth]) {
      out.append(',');
    }
    needsComma[depth] = true;
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
