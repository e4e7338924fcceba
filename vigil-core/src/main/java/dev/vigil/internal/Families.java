package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import dev.vigil.MetricCatalog.Definition;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The metric families of one {@code Monitoring}, by name: each declared once, registered in the
 * registry, with its label-set cap and the shared guard; plus {@code vigil_label_sets}, which
 * reports how full each one is.
 */
final class Families {
  private final String service;
  private final InputGuard guard;
  private final LabelPolicy policy;
  private final PrometheusRegistry registry;
  private final int defaultMaxLabelSets;
  private final Map<String, Integer> maxLabelSetsByMetric;
  private final Runnable beforeScrape;
  private final Map<String, Family<?>> families = new ConcurrentHashMap<>();

  /**
   * @param beforeScrape runs at every scrape, before the label-set counts are read
   */
  Families(
      String service,
      InputGuard guard,
      LabelPolicy policy,
      PrometheusRegistry registry,
      int defaultMaxLabelSets,
      Map<String, Integer> maxLabelSetsByMetric,
      Runnable beforeScrape) {
    this.service = service;
    this.guard = guard;
    this.policy = policy;
    this.registry = registry;
    this.defaultMaxLabelSets = defaultMaxLabelSets;
    this.maxLabelSetsByMetric = Map.copyOf(maxLabelSetsByMetric);
    this.beforeScrape = beforeScrape;
  }

  void registerLabelSets() {
    registerCollector(new LabelSetsCollector());
  }

  CounterFamily ownCounter(Definition definition, LabelPolicy own) {
    return register(definition, d -> new CounterFamily(d, service, guard, own, cap(d), false));
  }

  CounterFamily counter(Definition definition) {
    return register(definition, d -> new CounterFamily(d, service, guard, policy, cap(d)));
  }

  GaugeFamily gauge(Definition definition) {
    return register(definition, d -> new GaugeFamily(d, service, guard, policy, cap(d)));
  }

  HistogramFamily histogram(Definition definition) {
    return register(definition, d -> new HistogramFamily(d, service, guard, policy, cap(d)));
  }

  /**
   * Declares a family of a special kind (fixed-point money counters, say) under the same rules as
   * {@link #counter}: one family per name, registered in the registry, capped and guarded.
   */
  <F extends Family<?>> F declare(Definition definition, CoreMetrics.FamilyFactory<F> factory) {
    return register(definition, d -> factory.create(d, service, guard, policy, cap(d)));
  }

  int cap(Definition definition) {
    return maxLabelSetsByMetric.getOrDefault(definition.name(), defaultMaxLabelSets);
  }

  /**
   * Registers a family once per name: declaring the same definition again returns the same family,
   * declaring a different one under a taken name fails with a message naming both.
   */
  @SuppressWarnings("unchecked")
  private synchronized <F extends Family<?>> F register(
      Definition definition, Function<Definition, F> factory) {
    Family<?> existing = families.get(definition.name());
    if (existing != null) {
      if (existing.definition().equals(definition)) {
        return (F) existing;
      }
      throw new IllegalArgumentException(
          "Metric "
              + definition.name()
              + " is already declared as "
              + describe(existing.definition())
              + "; cannot declare it again as "
              + describe(definition)
              + ". Use a different name.");
    }
    F family = factory.apply(definition);
    try {
      registry.register(family);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot register metric " + definition.name() + ": " + e.getMessage(), e);
    }
    families.put(definition.name(), family);
    return family;
  }

  private static String describe(Definition d) {
    return d.type().name().toLowerCase(Locale.ROOT)
        + " with labels "
        + d.labelNames()
        + (d.buckets().isEmpty() ? "" : " and buckets " + d.buckets());
  }

  /** Registers a collector computed at scrape time; a failure in it never fails a scrape. */
  void registerCollector(Collector collector) {
    registry.register(new IsolatedCollector(collector, guard));
  }

  @Nullable Family<?> family(String name) {
    return families.get(name);
  }

  Collection<Family<?>> all() {
    return List.copyOf(families.values());
  }

  /** {@code vigil_label_sets}: how full each family is, read at scrape time. */
  private final class LabelSetsCollector implements Collector {
    @Override
    public MetricSnapshot collect() {
      beforeScrape.run(); // every scrape passes here: the watchdog needs no thread of its own
      GaugeSnapshot.Builder builder =
          GaugeSnapshot.builder()
              .name(MetricCatalog.LABEL_SETS.name())
              .help(MetricCatalog.LABEL_SETS.help());
      List<Family<?>> all = new ArrayList<>(families.values());
      for (Family<?> family : all) {
        builder.dataPoint(
            GaugeDataPointSnapshot.builder()
                .labels(Labels.of("metric", family.name(), MetricCatalog.SERVICE_LABEL, service))
                .value(family.labelSetCount())
                .build());
      }
      return builder.build();
    }

    @Override
    public MetricFamilyDescriptor getMetricFamilyDescriptor() {
      return MetricFamilyDescriptor.of(
          MetricType.GAUGE,
          new MetricMetadata(MetricCatalog.LABEL_SETS.name(), MetricCatalog.LABEL_SETS.help()),
          List.of(MetricCatalog.SERVICE_LABEL, "metric"));
    }
  }
}
