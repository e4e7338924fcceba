package dev.vigil.internal.page;

/** Numbers as JSON, fast for the many whole numbers of a history. */
final class Numbers {
  private Numbers() {}

  /**
   * Whole numbers as integers (no {@code .0}), others in Java's round-trip notation, so a JSON
   * parser reads back exactly this double; NaN and infinities, which JSON lacks, as null.
   */
  static void append(StringBuilder out, double value) {
    if (value != value || value == Double.POSITIVE_INFINITY || value == Double.NEGATIVE_INFINITY) {
      out.append("null");
    } else if (value == (long) value && Math.abs(value) < 1e15) {
      out.append((long) value);
    } else {
      out.append(value);
    }
  }
}
