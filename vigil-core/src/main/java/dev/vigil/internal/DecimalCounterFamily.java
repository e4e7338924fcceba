package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A counter family of {@link DecimalCounterCell}s. It is derived from another family's labels (cost
 * from token spend, revenue from conversions), so label problems are normalised here but reported
 * only once, by the primary family.
 */
public final class DecimalCounterFamily extends Family<DecimalCounterCell> {
  private final Function<Labels, DecimalCounterCell> cells;

  private DecimalCounterFamily(
      MetricCatalog.Definition definition,
      String service,
      InputGuard guard,
      LabelPolicy policy,
      int maxLabelSets,
      Function<Labels, DecimalCounterCell> cells) {
    super(definition, service, guard, policy, maxLabelSets, false);
    this.cells = cells;
  }

  /** Declares a family whose series count units of {@code 10^-scale}. */
  public static DecimalCounterFamily declare(
      CoreMetrics core, MetricCatalog.Definition definition, int scale) {
    return declare(core, definition, labels -> new DecimalCounterCell(labels, scale));
  }

  /** Declares a family whose series are made by {@code cells}, to attach data to each series. */
  static DecimalCounterFamily declare(
      CoreMetrics core,
      MetricCatalog.Definition definition,
      Function<Labels, DecimalCounterCell> cells) {
    return core.declare(
        definition,
        (d, service, guard, policy, max) ->
            new DecimalCounterFamily(d, service, guard, policy, max, cells));
  }

  @Override
  DecimalCounterCell newCell(Labels labels) {
    return cells.apply(labels);
  }

  @Override
  MetricSnapshot snapshot() {
    List<CounterDataPointSnapshot> points = new ArrayList<>();
    for (DecimalCounterCell cell : cells()) {
      try {
        if (cell.exposed()) {
          points.add(
              CounterDataPointSnapshot.builder().labels(cell.labels).value(cell.value()).build());
        }
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
