package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** A gauge family. */
public final class GaugeFamily extends Family<GaugeCell> {

  public GaugeFamily(
      MetricCatalog.Definition definition,
      String service,
      InputGuard guard,
      LabelPolicy policy,
      int maxLabelSets) {
    super(definition, service, guard, policy, maxLabelSets);
  }

  @Override
  GaugeCell newCell(Labels labels) {
    return new GaugeCell(labels);
  }

  @Override
  public MetricSnapshot collect() {
    GaugeSnapshot.Builder builder =
        GaugeSnapshot.builder().name(prometheusName()).help(definition.help());
    for (GaugeCell cell : cells()) {
      builder.dataPoint(
          GaugeDataPointSnapshot.builder().labels(cell.labels).value(cell.value()).build());
    }
    return builder.build();
  }
}
