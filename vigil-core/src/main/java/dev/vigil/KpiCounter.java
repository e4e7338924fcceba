package dev.vigil;

import dev.vigil.internal.CoreMetrics;
import dev.vigil.internal.CounterCell;
import dev.vigil.internal.CounterFamily;
import dev.vigil.internal.InvalidReason;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A custom counting KPI, with the same guards as the built-in ones: bad label values are normalised
 * and counted, the number of label sets is capped, and nothing throws unless strict mode is on.
 *
 * <pre>{@code
 * KpiCounter signups = monitoring.metrics().counter("signups_total")
 *     .help("Completed sign-ups, by channel.")
 *     .labelNames("channel")
 *     .register();
 * signups.inc("telegram");
 * }</pre>
 */
public final class KpiCounter {
  private final CounterFamily family;
  private final CoreMetrics core;

  /** For the extension context's self-metrics. */
  static KpiCounter of(CounterFamily family, CoreMetrics core) {
    return new KpiCounter(family, core);
  }

  private KpiCounter(CounterFamily family, CoreMetrics core) {
    this.family = family;
    this.core = core;
  }

  /** The exposed name, ending in {@code _total}. */
  public String name() {
    return family.name();
  }

  public void inc() {
    CounterCell cell = family.series();
    if (cell != null) {
      cell.inc();
    }
  }

  public void inc(@Nullable String labelValue) {
    CounterCell cell = family.series(labelValue);
    if (cell != null) {
      cell.inc();
    }
  }

  public void inc(@Nullable String labelValue1, @Nullable String labelValue2) {
    CounterCell cell = family.series(labelValue1, labelValue2);
    if (cell != null) {
      cell.inc();
    }
  }

  public void inc(
      @Nullable String labelValue1, @Nullable String labelValue2, @Nullable String labelValue3) {
    CounterCell cell = family.series(labelValue1, labelValue2, labelValue3);
    if (cell != null) {
      cell.inc();
    }
  }

  /** Adds one to the series with these label values, one per declared label, in order. */
  public void inc(@Nullable String... labelValues) {
    add(1, labelValues);
  }

  /**
   * Adds {@code amount}, which must be finite, not negative (counters only go up) and at most 2^53;
   * anything else is dropped and counted in {@code vigil_invalid_inputs_total}. A series saturates
   * at 2^62 instead of overflowing.
   */
  public void add(double amount, @Nullable String... labelValues) {
    if (!(amount >= 0) || Double.isInfinite(amount)) {
      InvalidReason reason =
          amount < 0 ? InvalidReason.NEGATIVE_VALUE : InvalidReason.NON_FINITE_VALUE;
      core.guard()
          .reject(
              family.name(),
              reason,
              family.name()
                  + ": a counter can only grow by a finite, non-negative amount, got "
                  + amount
                  + "; event dropped. Use a KpiGauge for values that go down.");
      return;
    }
    if (amount > MAX_INCREMENT) {
      core.guard()
          .reject(
              family.name(),
              InvalidReason.OUT_OF_RANGE,
              family.name()
                  + ": one increment of "
                  + amount
                  + " is more than Vigil adds at once (at most 2^53, where doubles stop being"
                  + " exact); event dropped. Check the unit of what is being counted.");
      return;
    }
    CounterCell cell = family.series(labelValues);
    if (cell != null && !cell.add(amount)) {
      core.kpis().saturated(family, (long) amount);
    }
  }

  /** The largest single increment: 2^53, beyond which doubles skip whole numbers. */
  static final double MAX_INCREMENT = 0x1p53;

  /** Declares a {@link KpiCounter}; from {@link Metrics#counter(String)}. */
  public static final class Builder extends MetricBuilder<Builder, KpiCounter> {
    Builder(CoreMetrics core, String name) {
      super(core, name);
    }

    @Override
    Builder self() {
      return this;
    }

    @Override
    public KpiCounter register() {
      String exposed = name.endsWith("_total") ? name : name + "_total";
      MetricCatalog.Definition definition =
          new MetricCatalog.Definition(
              exposed, MetricCatalog.Type.COUNTER, helpOrDefault(), labelNames, List.of());
      return new KpiCounter(core.counter(definition), core);
    }
  }
}
