package dev.vigil.internal;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A collector of Vigil's computed at scrape time (distinct users, label sets) that cannot fail a
 * scrape: if it throws, this scrape goes without it (the registry skips a null snapshot), and the
 * failure is counted in {@code vigil_scrape_failures_total{metric}} and logged once.
 */
final class IsolatedCollector implements Collector {
  private final Collector delegate;
  private final InputGuard guard;
  private final String name;

  IsolatedCollector(Collector delegate, InputGuard guard) {
    this.delegate = delegate;
    this.guard = guard;
    MetricFamilyDescriptor descriptor = delegate.getMetricFamilyDescriptor();
    this.name =
        descriptor == null
            ? delegate.getClass().getName()
            : descriptor.getMetadata().getPrometheusName();
  }

  @Override
  public @Nullable MetricSnapshot collect() {
    try {
      return delegate.collect();
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      guard.scrapeFailed(name, t);
      return null;
    }
  }

  @Override
  public @Nullable MetricSnapshot collect(PrometheusScrapeRequest request) {
    return collect();
  }

  @Override
  public @Nullable MetricSnapshot collect(Predicate<String> includedNames) {
    MetricSnapshot snapshot = collect();
    return snapshot == null || includedNames.test(snapshot.getMetadata().getPrometheusName())
        ? snapshot
        : null;
  }

  @Override
  public @Nullable MetricSnapshot collect(
      Predicate<String> includedNames, PrometheusScrapeRequest request) {
    return collect(includedNames);
  }

  @Override
  public @Nullable MetricFamilyDescriptor getMetricFamilyDescriptor() {
    return delegate.getMetricFamilyDescriptor();
  }

  @Override
  @SuppressWarnings("deprecation")
  public @Nullable String getPrometheusName() {
    return delegate.getPrometheusName();
  }

  @Override
  @SuppressWarnings("deprecation")
  public @Nullable MetricType getMetricType() {
    return delegate.getMetricType();
  }

  @Override
  @SuppressWarnings("deprecation")
  public @Nullable Set<String> getLabelNames() {
    return delegate.getLabelNames();
  }

  @Override
  @SuppressWarnings("deprecation")
  public @Nullable MetricMetadata getMetadata() {
    return delegate.getMetadata();
  }
}
