package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;

/** A classic-bucket histogram family with the buckets of its definition. */
public final class HistogramFamily extends Family<HistogramCell> {
  private final double[] upperBounds;
  private final double[] boundsWithInf;

  public HistogramFamily(
      MetricCatalog.Definition definition,
      String service,
      InputGuard guard,
      LabelPolicy policy,
      int maxLabelSets) {
    super(definition, service, guard, policy, maxLabelSets);
    List<Double> buckets = definition.buckets();
    if (buckets.isEmpty()) {
      throw new IllegalArgumentException(definition.name() + ": a histogram needs buckets");
    }
    upperBounds = new double[buckets.size()];
    for (int i = 0; i < upperBounds.length; i++) {
      upperBounds[i] = buckets.get(i);
      if (!Double.isFinite(upperBounds[i]) || (i > 0 && upperBounds[i] <= upperBounds[i - 1])) {
        throw new IllegalArgumentException(
            definition.name() + ": buckets must be finite and strictly increasing, got " + buckets);
      }
    }
    boundsWithInf = new double[upperBounds.length + 1];
    System.arraycopy(upperBounds, 0, boundsWithInf, 0, upperBounds.length);
    boundsWithInf[upperBounds.length] = Double.POSITIVE_INFINITY;
  }

  @Override
  HistogramCell newCell(Labels labels) {
    return new HistogramCell(labels, upperBounds);
  }

  /** The finite upper bounds, in order ({@code +Inf} is implied). */
  public double[] upperBounds() {
    return upperBounds.clone();
  }

  @Override
  MetricSnapshot snapshot() {
    List<HistogramDataPointSnapshot> points = new ArrayList<>();
    for (HistogramCell cell : cells()) {
      try {
        points.add(
            HistogramDataPointSnapshot.builder()
                .labels(cell.labels)
                .classicHistogramBuckets(cell.snapshotBuckets(boundsWithInf))
                .sum(cell.sum())
                .build());
      } catch (Throwable t) {
        pointFailed(t);
      }
    }
    MetricMetadata metadata = metadata();
    return build(points, p -> new HistogramSnapshot(metadata, p));
  }

  @Override
  MetricSnapshot empty() {
    return new HistogramSnapshot(metadata(), List.of());
  }
}
