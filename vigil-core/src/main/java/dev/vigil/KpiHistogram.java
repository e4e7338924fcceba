package dev.vigil;

import dev.vigil.internal.CoreMetrics;
import dev.vigil.internal.HistogramCell;
import dev.vigil.internal.HistogramFamily;
import dev.vigil.internal.InvalidReason;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A custom distribution KPI (durations, sizes, amounts) with classic buckets, so {@code
 * histogram_quantile} works on it, and the same guards as the built-in metrics.
 *
 * <pre>{@code
 * KpiHistogram promptLength = monitoring.metrics().histogram("prompt_length_chars")
 *     .help("Prompt length in characters.")
 *     .labelNames("type")
 *     .buckets(100, 500, 1000, 4000)
 *     .register();
 * promptLength.observe(prompt.length(), "image");
 * }</pre>
 */
public final class KpiHistogram {
  /** Prometheus' conventional default buckets, in seconds. */
  static final List<Double> DEFAULT_BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

  private final HistogramFamily family;
  private final CoreMetrics core;
  private final Ticker ticker;

  /** For the extension context's self-metrics. */
  static KpiHistogram of(HistogramFamily family, CoreMetrics core, Ticker ticker) {
    return new KpiHistogram(family, core, ticker);
  }

  private KpiHistogram(HistogramFamily family, CoreMetrics core, Ticker ticker) {
    this.family = family;
    this.core = core;
    this.ticker = ticker;
  }

  public String name() {
    return family.name();
  }

  /** Records a finite value; NaN and infinities are dropped and counted. */
  public void observe(double value, @Nullable String... labelValues) {
    if (!Double.isFinite(value)) {
      core.guard()
          .reject(
              family.name(),
              InvalidReason.NON_FINITE_VALUE,
              family.name() + ": observations must be finite, got " + value + "; event dropped.");
      return;
    }
    HistogramCell cell = family.series(labelValues);
    if (cell != null) {
      cell.observe(value);
    }
  }

  /** Starts timing into the series with these label values, in seconds. */
  public JobTimer startTimer(@Nullable String... labelValues) {
    return new JobTimer(family.series(labelValues), ticker);
  }

  /** Declares a {@link KpiHistogram}; from {@link Metrics#histogram(String)}. */
  public static final class Builder extends MetricBuilder<Builder, KpiHistogram> {
    private final Ticker ticker;
    private List<Double> buckets = DEFAULT_BUCKETS;

    Builder(CoreMetrics core, String name, Ticker ticker) {
      super(core, name);
      this.ticker = ticker;
    }

    @Override
    Builder self() {
      return this;
    }

    @Override
    boolean reservedLabel(String label) {
      return label.equals("le");
    }

    /** The finite bucket upper bounds, strictly increasing; {@code +Inf} is added for you. */
    public Builder buckets(double... upperBounds) {
      if (upperBounds.length == 0) {
        throw new IllegalArgumentException("buckets of " + name + " must not be empty");
      }
      List<Double> list = new ArrayList<>();
      for (int i = 0; i < upperBounds.length; i++) {
        double b = upperBounds[i];
        if (!Double.isFinite(b) || (i > 0 && b <= upperBounds[i - 1])) {
          throw new IllegalArgumentException(
              "buckets of "
                  + name
                  + " must be finite and strictly increasing, got "
                  + java.util.Arrays.toString(upperBounds));
        }
        list.add(b);
      }
      this.buckets = List.copyOf(list);
      return this;
    }

    @Override
    public KpiHistogram register() {
      MetricCatalog.Definition definition =
          new MetricCatalog.Definition(
              name, MetricCatalog.Type.HISTOGRAM, helpOrDefault(), labelNames, buckets);
      return new KpiHistogram(core.histogram(definition), core, ticker);
    }
  }
}
