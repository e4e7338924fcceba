package dev.vigil.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides what happens to bad input: count it in {@code
 * vigil_invalid_inputs_total}, log a rate-limited warning that says what was wrong and how to fix
 * it, and, in strict mode, throw {@link IllegalArgumentException} with that same message instead.
 * Label overflow is counted in {@code vigil_label_overflow_total} and warned about once per metric.
 */
public final class InputGuard {
  private final boolean strict;
  private final WarnLimiter limiter;
  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil");
  private static final int MAX_REPORTED_SCRAPE_FAILURES = 256;

  private @Nullable CounterFamily invalidInputs;
  private @Nullable CounterFamily overflows;
  private @Nullable CounterFamily scrapeFailures;
  private final Set<String> reportedScrapeFailures = ConcurrentHashMap.newKeySet();

  public InputGuard(boolean strict, WarnLimiter limiter) {
    this.strict = strict;
    this.limiter = limiter;
  }

  /** Wires the self-metrics, which are families guarded by this guard themselves. */
  void bind(CounterFamily invalidInputs, CounterFamily overflows, CounterFamily scrapeFailures) {
    this.invalidInputs = invalidInputs;
    this.overflows = overflows;
    this.scrapeFailures = scrapeFailures;
  }

  /**
   * A metric (or part of {@code /kpi}) could not be snapshot for one scrape: counted in {@code
   * vigil_scrape_failures_total{metric}}, logged with the cause the first time for that metric.
   * Never throws.
   */
  public void scrapeFailed(String metric, Throwable failure) {
    try {
      CounterFamily family = scrapeFailures;
      if (family != null) {
        CounterCell cell = family.series(metric);
        if (cell != null) {
          cell.inc();
        }
      }
      if (reportedScrapeFailures.size() < MAX_REPORTED_SCRAPE_FAILURES
          && reportedScrapeFailures.add(metric)) {
        LOG.warn(
            "Vigil could not snapshot {} for a scrape and served everything else; see"
                + " vigil_scrape_failures_total. Logged once per metric.",
            metric,
            failure);
      }
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
    }
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
    reject(metric, reason, message, null);
  }

  /** {@link #reject(String, InvalidReason, String)}, with what went wrong as the cause. */
  public void reject(
      String metric, InvalidReason reason, String message, @Nullable Throwable cause) {
    if (strict) {
      throw new IllegalArgumentException(message, cause);
    }
    note(metric, reason, message);
  }

  /** Counts the bad input and warns about it, rate-limited; never throws. */
  private void note(String metric, InvalidReason reason, String message) {
    count(metric, reason);
    limiter.warn(metric + '|' + reason.label(), message);
  }

  /**
   * A value the caller passed failed while Vigil read it: its {@code toString()}, {@code
   * getMessage()} or map access threw (see {@link Throwables} for what is never caught).
   *
   * @param what the value, such as {@code "the 'model' field"}
   * @param consequence what Vigil did, such as {@code "event dropped"}
   */
  public void unreadable(String metric, String what, Throwable failure, String consequence) {
    Throwables.rethrowIfFatal(failure);
    reject(
        metric,
        InvalidReason.UNREADABLE_VALUE,
        metric
            + ": "
            + what
            + " could not be read ("
            + Throwables.describe(failure)
            + "); "
            + consequence
            + ". Pass plain values (strings, numbers, maps of them) whose toString() and"
            + " getMessage() work.",
        failure);
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
