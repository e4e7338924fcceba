package dev.vigil.internal;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gauge series holding a double. Set is a plain store; add is a compare-and-set loop on the raw
 * bits, so concurrent increments and decrements are never lost (an adder could not support set).
 */
public final class GaugeCell extends Cell {
  private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(0.0));

  GaugeCell(Labels labels) {
    super(labels);
  }

  public void set(double value) {
    bits.set(Double.doubleToRawLongBits(value));
  }

  public double add(double delta) {
    for (; ; ) {
      long current = bits.get();
      double next = Double.longBitsToDouble(current) + delta;
      if (Double.isInfinite(next)) {
        // Two finite values summed past the double range: stay at the largest finite value.
        next = next > 0 ? Double.MAX_VALUE : -Double.MAX_VALUE;
      }
      if (bits.compareAndSet(current, Double.doubleToRawLongBits(next))) {
        return next;
      }
    }
  }

  public double value() {
    return Double.longBitsToDouble(bits.get());
  }
}
