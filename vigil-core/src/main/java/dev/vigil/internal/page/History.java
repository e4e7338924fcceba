package dev.vigil.internal.page;

import java.util.ArrayList;
import java.util.List;

/**
 * The last hour of samples, in arrays allocated once: {@value #CAPACITY} samples (an hour at the
 * default 10 s) of fixed columns. Its memory is the same with no traffic and with a flood of new
 * label values, because grouped values (per generation type, per model, per queue) keep at most
 * {@value #TOP} label values per sample, by size, and sum the rest into "other".
 *
 * <p>The label values kept are references to the strings the metric families already hold, never
 * copies. One sampler thread writes a row at a time; readers (the {@code /kpi/history} handler)
 * hold the same lock while they write their JSON, a millisecond or two every few seconds.
 */
final class History {
  static final int CAPACITY = 360;
  static final int TOP = 5;

  static final int INTERACTIONS = 0;
  static final int GENERATION_SUCCESS = 1;
  static final int GENERATION_FAILURE = 2;
  static final int CONVERSIONS = 3;
  static final int PAYMENT_FAILURES = 4;
  static final int TOKENS = 5;
  static final int COST_USD = 6;
  static final int HTTP_REQUESTS = 7;
  static final int HTTP_CLIENT_ERRORS = 8;
  static final int HTTP_SERVER_ERRORS = 9;
  static final int HTTP_P95 = 10;
  static final int HTTP_P99 = 11;
  static final int ERRORS = 12;

  /** The JSON names of the scalar columns, by index. */
  static final String[] SCALARS = {
    "interactions",
    "generationSuccess",
    "generationFailure",
    "paymentConversions",
    "paymentFailures",
    "tokens",
    "costUsd",
    "httpRequests",
    "httpClientErrors",
    "httpServerErrors",
    "httpP95Seconds",
    "httpP99Seconds",
    "errors"
  };

  static final int GENERATION = 0;
  static final int MODELS = 1;
  static final int QUEUES = 2;

  /** The grouped columns: JSON name, value names and whether each value sums into "other". */
  static final Grouping[] GROUPINGS = {
    new Grouping(
        "generationByType", new String[] {"success", "failure"}, new boolean[] {true, true}),
    new Grouping("tokensByModel", new String[] {"tokens", "costUsd"}, new boolean[] {true, true}),
    new Grouping(
        "queues",
        new String[] {"jobs", "active", "p50Seconds", "p95Seconds"},
        new boolean[] {true, true, false, false})
  };

  private final List<String> windows;
  private final long[] times = new long[CAPACITY];
  private final double[][] scalars = new double[SCALARS.length][CAPACITY];
  private final double[][] distinct;
  private final String[][] names = new String[GROUPINGS.length][CAPACITY * TOP];
  private final double[][][] values = new double[GROUPINGS.length][][];
  private final double[][][] others = new double[GROUPINGS.length][][];
  private int next; // guarded by this
  private int size; // guarded by this

  /**
   * @param windows the distinct-user windows, such as {@code 5m}; at most 8
   */
  History(List<String> windows) {
    this.windows = List.copyOf(windows);
    this.distinct = new double[windows.size()][CAPACITY];
    for (int g = 0; g < GROUPINGS.length; g++) {
      int n = GROUPINGS[g].values.length;
      values[g] = new double[n][CAPACITY * TOP];
      others[g] = new double[n][CAPACITY];
    }
  }

  List<String> windows() {
    return windows;
  }

  /**
   * The bytes this history holds, whatever is sampled: the arrays, with 8-byte references (less
   * with compressed references), without the label strings it shares with the metric families.
   */
  long maxBytes() {
    long doubles =
        (long) SCALARS.length * CAPACITY
            + (long) windows.size() * CAPACITY
            + sumValues() * CAPACITY * TOP
            + sumValues() * CAPACITY;
    long references = (long) GROUPINGS.length * CAPACITY * TOP;
    int arrays = 1 + SCALARS.length + windows.size() + GROUPINGS.length * 3 + sumValues() * 2 + 8;
    return CAPACITY * 8L + doubles * 8 + references * 8 + arrays * 16L;
  }

  private static int sumValues() {
    int n = 0;
    for (Grouping g : GROUPINGS) {
      n += g.values.length;
    }
    return n;
  }

  synchronized int size() {
    return size;
  }

  /** Copies {@code row} in as the newest sample, replacing the oldest once full. */
  synchronized void append(Row row) {
    int i = next;
    times[i] = row.time;
    for (int c = 0; c < SCALARS.length; c++) {
      scalars[c][i] = row.scalars[c];
    }
    for (int w = 0; w < distinct.length; w++) {
      distinct[w][i] = w < row.distinct.length ? row.distinct[w] : Double.NaN;
    }
    for (int g = 0; g < GROUPINGS.length; g++) {
      System.arraycopy(row.names[g], 0, names[g], i * TOP, TOP);
      for (int v = 0; v < GROUPINGS[g].values.length; v++) {
        System.arraycopy(row.values[g][v], 0, values[g][v], i * TOP, TOP);
        others[g][v][i] = row.others[g][v];
      }
    }
    next = (i + 1) % CAPACITY;
    if (size < CAPACITY) {
      size++;
    }
  }

  /** Writes the samples as columns, oldest first: the {@code history} member of the document. */
  synchronized void writeJson(StringBuilder out) {
    int start = (next - size + CAPACITY) % CAPACITY;
    out.append("{\"time\":[");
    for (int k = 0; k < size; k++) {
      if (k > 0) {
        out.append(',');
      }
      out.append(times[(start + k) % CAPACITY]);
    }
    out.append("],\"series\":{");
    for (int c = 0; c < SCALARS.length; c++) {
      if (c > 0) {
        out.append(',');
      }
      out.append('"').append(SCALARS[c]).append("\":");
      column(out, scalars[c], start);
    }
    out.append("},\"distinct\":{");
    for (int w = 0; w < distinct.length; w++) {
      if (w > 0) {
        out.append(',');
      }
      out.append('"').append(windows.get(w)).append("\":");
      column(out, distinct[w], start);
    }
    out.append('}');
    for (int g = 0; g < GROUPINGS.length; g++) {
      out.append(",\"").append(GROUPINGS[g].name).append("\":");
      grouping(out, g, start);
    }
    out.append('}');
  }

  private void column(StringBuilder out, double[] column, int start) {
    out.append('[');
    for (int k = 0; k < size; k++) {
      if (k > 0) {
        out.append(',');
      }
      Numbers.append(out, column[(start + k) % CAPACITY]);
    }
    out.append(']');
  }

  /**
   * One grouping's columns. Its label values are those of the newest sample (its top ones), then
   * those of older samples, newest first, {@value #TOP} at most; a value a sample did not keep is
   * null there. "other" is the sample's total less the chosen values it kept, so it absorbs label
   * values that were kept once but are not chosen now.
   */
  private void grouping(StringBuilder out, int g, int start) {
    String[] n = names[g];
    List<String> chosen = new ArrayList<>(TOP);
    for (int k = size - 1; k >= 0 && chosen.size() < TOP; k--) {
      int base = ((start + k) % CAPACITY) * TOP;
      for (int j = 0; j < TOP && chosen.size() < TOP; j++) {
        String name = n[base + j];
        if (name != null && !chosen.contains(name)) {
          chosen.add(name);
        }
      }
    }
    Grouping grouping = GROUPINGS[g];
    out.append("{\"names\":[");
    for (int c = 0; c < chosen.size(); c++) {
      if (c > 0) {
        out.append(',');
      }
      dev.vigil.internal.Json.quote(out, chosen.get(c));
    }
    out.append(']');
    int[] slot = new int[chosen.size() * size]; // the slot of each chosen name per sample, or -1
    for (int k = 0; k < size; k++) {
      int base = ((start + k) % CAPACITY) * TOP;
      for (int c = 0; c < chosen.size(); c++) {
        int found = -1;
        for (int j = 0; j < TOP; j++) {
          if (chosen.get(c).equals(n[base + j])) {
            found = j;
            break;
          }
        }
        slot[c * size + k] = found;
      }
    }
    for (int v = 0; v < grouping.values.length; v++) {
      double[] column = values[g][v];
      out.append(",\"").append(grouping.values[v]).append("\":[");
      for (int c = 0; c < chosen.size(); c++) {
        if (c > 0) {
          out.append(',');
        }
        out.append('[');
        for (int k = 0; k < size; k++) {
          if (k > 0) {
            out.append(',');
          }
          int j = slot[c * size + k];
          if (j < 0) {
            out.append("null");
          } else {
            Numbers.append(out, column[((start + k) % CAPACITY) * TOP + j]);
          }
        }
        out.append(']');
      }
      out.append(']');
    }
    out.append(",\"other\":{");
    boolean first = true;
    for (int v = 0; v < grouping.values.length; v++) {
      if (!grouping.summable[v]) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      double[] column = values[g][v];
      double[] other = others[g][v];
      out.append('"').append(grouping.values[v]).append("\":[");
      for (int k = 0; k < size; k++) {
        if (k > 0) {
          out.append(',');
        }
        int i = (start + k) % CAPACITY;
        double sum = other[i];
        for (int j = 0; j < TOP; j++) {
          String name = n[i * TOP + j];
          if (name != null && !chosen.contains(name)) {
            sum += column[i * TOP + j];
          }
        }
        Numbers.append(out, sum);
      }
      out.append(']');
    }
    out.append("}}");
  }

  /** A grouped set of columns. */
  record Grouping(String name, String[] values, boolean[] summable) {}

  /** One sample, filled by the sampler and copied in by {@link #append}. */
  static final class Row {
    long time;
    final double[] scalars = new double[SCALARS.length];
    final double[] distinct;
    final String[][] names = new String[GROUPINGS.length][TOP];
    final double[][][] values = new double[GROUPINGS.length][][];
    final double[][] others = new double[GROUPINGS.length][];

    Row(int windows) {
      distinct = new double[windows];
      for (int g = 0; g < GROUPINGS.length; g++) {
        values[g] = new double[GROUPINGS[g].values.length][TOP];
        others[g] = new double[GROUPINGS[g].values.length];
      }
    }

    /** Empties the grouped values before a new sample. */
    void clear() {
      for (int g = 0; g < GROUPINGS.length; g++) {
        java.util.Arrays.fill(names[g], null);
        for (double[] v : values[g]) {
          java.util.Arrays.fill(v, Double.NaN);
        }
        java.util.Arrays.fill(others[g], 0);
      }
    }
  }
}
