package dev.vigil.internal;

import org.jspecify.annotations.Nullable;

/**
 * String escaping for the few small JSON documents the core writes (/health and friends). The core
 * avoids a JSON library dependency for this: it only ever writes, never parses, and RFC 8259 string
 * escaping is all it needs.
 */
public final class Json {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  /** Appends {@code value} as a JSON string literal, or {@code null}. */
  public static StringBuilder quote(StringBuilder out, @Nullable String value) {
    if (value == null) {
      return out.append("null");
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"');
  }

  public static String quote(@Nullable String value) {
    return quote(new StringBuilder(), value).toString();
  }
}
