package dev.vigil.internal;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The registry as {@code /metrics} scrapes it: the real one, unless its scrape fails. Vigil's own
 * families and collectors never fail a scrape (see {@link Family#collect()} and {@link
 * IsolatedCollector}); a collector someone else registered in the same registry still can, and
 * client_java would then answer 500 for everything. Instead the metrics are scraped one name at a
 * time, leaving out only those that fail, each counted in {@code vigil_scrape_failures_total}; and
 * if even that fails (a collector without a name is collected on every scrape), Vigil's own
 * families are served.
 */
final class ScrapeRegistry extends PrometheusRegistry {
  private final CoreMetrics core;
  private final PrometheusRegistry delegate;

  ScrapeRegistry(CoreMetrics core) {
    this.core = core;
    this.delegate = core.registry();
  }

  @Override
  public MetricSnapshots scrape() {
    return scrape(null, null);
  }

  @Override
  public MetricSnapshots scrape(@Nullable PrometheusScrapeRequest request) {
    return scrape(null, request);
  }

  @Override
  public MetricSnapshots scrape(@Nullable Predicate<String> includedNames) {
    return scrape(includedNames, null);
  }

  @Override
  public MetricSnapshots scrape(
      @Nullable Predicate<String> includedNames, @Nullable PrometheusScrapeRequest request) {
    Predicate<String> names = includedNames == null ? name -> true : includedNames;
    try {
      return delegate.scrape(names, request);
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      core.guard().scrapeFailed("registry", t);
    }
    return byName(names, request);
  }

  private MetricSnapshots byName(Predicate<String> included, @Nullable PrometheusScrapeRequest r) {
    // Named collectors are asked for their name before they are collected: a filter that accepts
    // none lists them without collecting them.
    List<String> names = new ArrayList<>();
    try {
      delegate.scrape(
          name -> {
            names.add(name);
            return false;
          },
          r);
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
    }
    MetricSnapshots.Builder builder = MetricSnapshots.builder();
    Set<String> added = new HashSet<>();
    boolean anyServed = false;
    for (String name : names) {
      if (!included.test(name)) {
        continue;
      }
      try {
        for (MetricSnapshot snapshot : delegate.scrape(name::equals, r)) {
          if (added.add(snapshot.getMetadata().getPrometheusName())) {
            builder.metricSnapshot(snapshot);
          }
        }
        anyServed = true;
      } catch (Throwable t) {
        Throwables.rethrowIfFatal(t);
        core.guard().scrapeFailed(name, t);
      }
    }
    if (anyServed) {
      return builder.build();
    }
    MetricSnapshots.Builder own = MetricSnapshots.builder();
    for (Family<?> family : core.families()) {
      if (included.test(family.prometheusName())) {
        own.metricSnapshot(family.collect());
      }
    }
    return own.build();
  }
}
