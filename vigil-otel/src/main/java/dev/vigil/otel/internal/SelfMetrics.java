package dev.vigil.otel.internal;

import dev.vigil.KpiCounter;
import dev.vigil.KpiHistogram;
import dev.vigil.MetricCatalog;
import dev.vigil.spi.ExtensionContext;

/** vigil-otel's self-metrics, declared from {@link MetricCatalog}. */
public final class SelfMetrics {
  private final KpiCounter exported;
  private final KpiCounter failed;
  private final KpiCounter dropped;
  private final KpiHistogram duration;

  public SelfMetrics(ExtensionContext context) {
    this.exported = context.counter(MetricCatalog.OTLP_EXPORTED_POINTS);
    this.failed = context.counter(MetricCatalog.OTLP_FAILED_POINTS);
    this.dropped = context.counter(MetricCatalog.OTLP_DROPPED_POINTS);
    this.duration = context.histogram(MetricCatalog.OTLP_EXPORT_DURATION);
  }

  void exported(long points) {
    if (points > 0) {
      exported.add(points);
    }
  }

  void failed(String reason, long points) {
    if (points > 0) {
      failed.add(points, reason);
    }
  }

  void dropped(String reason, long points) {
    if (points > 0) {
      dropped.add(points, reason);
    }
  }

  void duration(String outcome, double seconds) {
    duration.observe(seconds, outcome);
  }
}
