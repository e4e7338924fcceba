package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

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
  public MetricSnapshot collect() {
    CounterSnapshot.Builder builder =
        CounterSnapshot.builder().name(prometheusName()).help(definition.help());
    for (CounterCell cell : cells()) {
      builder.dataPoint(
          CounterDataPointSnapshot.builder().labels(cell.labels).value(cell.value()).build());
    }
    return builder.build();
  }
}
