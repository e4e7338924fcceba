package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;

/** A counter family. */
public final class CounterFamily extends Family<CounterCell> {

  public CounterFamily(
      MetricCatalog.Definition definition,
      String service,
      InputGuard guard,
      LabelPolicy policy,
      int maxLabelSets) {
    super(definition, service, guard, policy, maxLabelSets);
  }

  /** A counter derived from another family's labels; see {@link Family}'s constructor. */
  CounterFamily(
      MetricCatalog.Definition definition,
      String service,
      InputGuard guard,
      LabelPolicy policy,
      int maxLabelSets,
      boolean reportsInputProblems) {
    super(definition, service, guard, policy, maxLabelSets, reportsInputProblems);
  }

  @Override
  CounterCell newCell(Labels labels) {
    return new CounterCell(labels);
  }

  @Override
  MetricSnapshot snapshot() {
    List<CounterDataPointSnapshot> points = new ArrayList<>();
    for (CounterCell cell : cells()) {
      try {
        points.add(
            CounterDataPointSnapshot.builder().labels(cell.labels).value(cell.value()).build());
      } catch (Throwable t) {
        pointFailed(t);
      }
    }
    MetricMetadata metadata = metadata();
    return build(points, p -> new CounterSnapshot(metadata, p));
  }

  @Override
  MetricSnapshot empty() {
    return new CounterSnapshot(metadata(), List.of());
  }
}
