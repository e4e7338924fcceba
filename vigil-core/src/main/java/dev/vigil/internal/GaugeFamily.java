package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;

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
  MetricSnapshot snapshot() {
    List<GaugeDataPointSnapshot> points = new ArrayList<>();
    for (GaugeCell cell : cells()) {
      try {
        points.add(
            GaugeDataPointSnapshot.builder().labels(cell.labels).value(cell.value()).build());
      } catch (Throwable t) {
        pointFailed(t);
      }
    }
    MetricMetadata metadata = metadata();
    return build(points, p -> new GaugeSnapshot(metadata, p));
  }

  @Override
  MetricSnapshot empty() {
    return new GaugeSnapshot(metadata(), List.of());
  }
}
