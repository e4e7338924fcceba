package dev.vigil.internal;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A classic-bucket histogram series. Each observation touches one bucket adder and the sum adder,
 * nothing shared by all threads: client_java's histogram also increments one global atomic per
 * observation, which is what stops it scaling across cores. The count is the sum of the buckets, so
 * {@code _count} always equals the {@code +Inf} bucket.
 */
public final class HistogramCell extends Cell {
  private final double[] upperBounds;
  private final LongAdder[] buckets;
  private final DoubleAdder sum = new DoubleAdder();

  HistogramCell(Labels labels, double[] upperBounds) {
    super(labels);
    this.upperBounds = upperBounds;
    this.buckets = new LongAdder[upperBounds.length + 1];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  /** Records a finite value; callers validate. */
  public void observe(double value) {
    // The bucket lists are short (8 to 12 bounds): a linear scan beats a binary search here.
    double[] bounds = upperBounds;
    int i = 0;
    while (i < bounds.length && value > bounds[i]) {
      i++;
    }
    buckets[i].increment();
    sum.add(value);
  }

  public long count() {
    long count = 0;
    for (LongAdder bucket : buckets) {
      count += bucket.sum();
    }
    return count;
  }

  public double sum() {
    return sum.sum();
  }

  /** Cumulative bucket counts, {@code +Inf} last, as Prometheus expects. */
  public long[] cumulativeCounts() {
    long[] counts = new long[buckets.length];
    long running = 0;
    for (int i = 0; i < buckets.length; i++) {
      running += buckets[i].sum();
      counts[i] = running;
    }
    return counts;
  }

  ClassicHistogramBuckets snapshotBuckets(double[] boundsWithInf) {
    // client_java's model takes per-bucket (not cumulative) counts.
    long[] perBucket = new long[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      perBucket[i] = buckets[i].sum();
    }
    return ClassicHistogramBuckets.of(boundsWithInf, perBucket);
  }
}
