package dev.vigil.internal;

import io.prometheus.metrics.model.snapshots.Labels;
import org.jspecify.annotations.Nullable;

/**
 * The token series of one model, by token kind: what a provider usage event adds to, found with one
 * lookup by model instead of one per kind. Each kind's {@code token_spend_total} series is looked
 * up on its first use and kept here; the overflow series of that family is never kept, so its
 * folding is counted on every event as the family counts it.
 */
public final class UsageCell extends Cell {
  /** The token kinds, in the order of {@link #KIND_LABELS}. */
  public static final int INPUT = 0;

  public static final int CACHE_READ = 1;
  public static final int CACHE_WRITE = 2;
  public static final int CACHE_WRITE_1H = 3;
  public static final int OUTPUT = 4;
  public static final int REASONING = 5;

  /** The {@code type} label value of each kind. */
  static final String[] KIND_LABELS = {
    "input", "cache_read", "cache_write", "cache_write_1h", "output", "reasoning"
  };

  /** The model as stored in the series (normalised by the label rules). */
  final String model;

  /** Whether this is the overflow cell, standing for every model past the cap. */
  final boolean overflow;

  private final CounterFamily tokens;

  // Written racily: every writer stores the same cell, which has final fields.
  private final @Nullable CounterCell[] series = new CounterCell[KIND_LABELS.length];

  UsageCell(Labels labels, CounterFamily tokens) {
    super(labels);
    String m = labels.get("model");
    this.model = m == null ? LabelPolicy.UNKNOWN : m;
    this.overflow = Family.OVERFLOW_VALUE.equals(m);
    this.tokens = tokens;
  }

  /** The series counting {@code kind} tokens of this model; null only if it cannot be had. */
  public @Nullable CounterCell series(int kind) {
    CounterCell cell = series[kind];
    if (cell != null) {
      return cell;
    }
    cell = tokens.series(model, KIND_LABELS[kind]);
    if (cell != null && !Family.OVERFLOW_VALUE.equals(cell.labels().get("model"))) {
      series[kind] = cell;
    }
    return cell;
  }

  /** The {@code type} label value of {@code kind}, such as {@code cache_read}. */
  public static String label(int kind) {
    return KIND_LABELS[kind];
  }

  /** The model as stored in the series. */
  public String model() {
    return model;
  }
}
