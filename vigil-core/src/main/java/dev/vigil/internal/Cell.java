package dev.vigil.internal;

import io.prometheus.metrics.model.snapshots.Labels;

/**
 * One time series: the storage behind a single label set. The exposition labels (service included)
 * are computed once, when the series is created, so a scrape allocates no label objects.
 */
public abstract class Cell {
  final Labels labels;

  Cell(Labels labels) {
    this.labels = labels;
  }

  public Labels labels() {
    return labels;
  }
}
