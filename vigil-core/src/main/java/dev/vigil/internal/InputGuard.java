package dev.vigil.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one place that decides what happens to bad input: count it in {@code
 * vigil_invalid_inputs_total}, log a rate-limited warning that says what was wrong and how to fix
 * it, and, in strict mode, throw {@link IllegalArgumentException} with that same message instead.
 * Label overflow is counted in {@code vigil_label_overflow_total} and warned about once per metric.
 */
public final class InputGuard {
  private final boolean strict;
  private final WarnLimiter limiter;
  private @Nullable CounterFamily invalidInputs;
  private @Nullable CounterFamily overflows;

  public InputGuard(boolean strict, WarnLimiter limiter) {
    this.strict = strict;
    this.limiter = limiter;
  }

  /** Wires the self-metrics, which are families guarded by this guard themselves. */
  void bind(CounterFamily invalidInputs, CounterFamily overflows) {
    this.invalidInputs = invalidInputs;
    this.overflows = overflows;
  }

  public boolean strict() {
    return strict;
  }

  /**
   * Reports an event that was dropped or normalised. In strict mode this throws.
   *
   * @param metric the metric (or KPI type) the input was meant for
   * @param message what was wrong, what Vigil did, and how to fix it
   */
  public void reject(String metric, InvalidReason reason, String message) {
    if (strict) {
      throw new IllegalArgumentException(message);
    }
    count(metric, reason);
    limiter.warn(metric + '|' + reason.label(), message);
  }

  /** Builds the record replayed each time a cached label set with problems is used again. */
  Incident incident(String metric, List<InvalidReason> reasons, String message) {
    CounterCell[] cells = new CounterCell[reasons.size()];
    for (int i = 0; i < cells.length; i++) {
      cells[i] =
          invalidInputs == null ? null : invalidInputs.series(metric, reasons.get(i).label());
    }
    return new Incident(metric + '|' + reasons.get(0).label(), message, cells);
  }

  void report(Incident incident) {
    if (strict) {
      throw new IllegalArgumentException(incident.message);
    }
    for (CounterCell cell : incident.cells) {
      if (cell != null) {
        cell.inc();
      }
    }
    limiter.warn(incident.key, incident.message);
  }

  void overflowed(Family<?> family, boolean first) {
    CounterFamily overflowCounter = overflows;
    if (overflowCounter != null && overflowCounter != family) {
      CounterCell cell = overflowCounter.series(family.name());
      if (cell != null) {
        cell.inc();
      }
    }
    if (first) {
      limiter.warn(
          family.name() + "|overflow",
          family.name()
              + " reached its limit of "
              + family.maxLabelSets()
              + " label sets; further label sets are folded into one series whose labels are all \""
              + Family.OVERFLOW_VALUE
              + "\". Labels must come from a small fixed set: put ids and free text in logs, or"
              + " raise the limit with Monitoring.builder(..).maxLabelSets(\""
              + family.name()
              + "\", n) or VIGIL_MAX_LABEL_SETS.");
    }
  }

  private void count(String metric, InvalidReason reason) {
    CounterFamily family = invalidInputs;
    if (family != null) {
      CounterCell cell = family.series(metric, reason.label());
      if (cell != null) {
        cell.inc();
      }
    }
  }

  /** A cached problem: the self-metric cells to bump and the warning to (rate-limit and) log. */
  static final class Incident {
    final String key;
    final String message;
    final @Nullable CounterCell[] cells;

    Incident(String key, String message, @Nullable CounterCell[] cells) {
      this.key = key;
      this.message = message;
      this.cells = cells;
    }
  }
}
