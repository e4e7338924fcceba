package dev.vigil;

import dev.vigil.internal.CoreMetrics;
import dev.vigil.internal.GaugeCell;
import dev.vigil.internal.GaugeFamily;
import dev.vigil.internal.InvalidReason;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A custom KPI that goes up and down, such as a queue backlog or open subscriptions, with the same
 * guards as the built-in metrics.
 *
 * <pre>{@code
 * KpiGauge backlog = monitoring.metrics().gauge("moderation_backlog")
 *     .help("Messages waiting for moderation.")
 *     .labelNames("priority")
 *     .register();
 * backlog.set(42, "high");
 * }</pre>
 */
public final class KpiGauge {
  private final GaugeFamily family;
  private final CoreMetrics core;

  /** For the extension context's self-metrics. */
  static KpiGauge of(GaugeFamily family, CoreMetrics core) {
    return new KpiGauge(family, core);
  }

  private KpiGauge(GaugeFamily family, CoreMetrics core) {
    this.family = family;
    this.core = core;
  }

  public String name() {
    return family.name();
  }

  /** Sets the value of the series with these label values; NaN and infinities are dropped. */
  public void set(double value, @Nullable String... labelValues) {
    if (!finite(value)) {
      return;
    }
    GaugeCell cell = family.series(labelValues);
    if (cell != null) {
      cell.set(value);
    }
  }

  /** Adds {@code delta} (negative to subtract) to the series with these label values. */
  public void add(double delta, @Nullable String... labelValues) {
    if (!finite(delta)) {
      return;
    }
    GaugeCell cell = family.series(labelValues);
    if (cell != null) {
      cell.add(delta);
    }
  }

  private boolean finite(double value) {
    if (Double.isFinite(value)) {
      return true;
    }
    core.guard()
        .reject(
            family.name(),
            InvalidReason.NON_FINITE_VALUE,
            family.name()
                + ": gauge values must be finite, got "
                + value
                + "; event dropped. Check the computation that produced it.");
    return false;
  }

  /** Declares a {@link KpiGauge}; from {@link Metrics#gauge(String)}. */
  public static final class Builder extends MetricBuilder<Builder, KpiGauge> {
    Builder(CoreMetrics core, String name) {
      super(core, name);
    }

    @Override
    Builder self() {
      return this;
    }

    @Override
    public KpiGauge register() {
      MetricCatalog.Definition definition =
          new MetricCatalog.Definition(
              name, MetricCatalog.Type.GAUGE, helpOrDefault(), labelNames, List.of());
      return new KpiGauge(core.gauge(definition), core);
    }
  }
}
