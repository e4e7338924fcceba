package dev.vigil.internal;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A monotonically increasing counter series. Whole increments (events, tokens) go to a {@link
 * LongAdder}, which is exact and faster than a {@link DoubleAdder}; fractional increments (money,
 * seconds) go to a lazily created {@link DoubleAdder}, so most series never pay for one.
 */
public final class CounterCell extends Cell {
  private final LongAdder whole = new LongAdder();
  private volatile DoubleAdder fractional;

  /**
   * State a {@link KpiListener} derives from this series and keeps with it, so it need not look it
   * up again per event (the AI cost series of a token series, with its price). Written without a
   * lock: racing writers store equal values, and what is stored has final fields, so a reader sees
   * null or a complete object.
   */
  @Nullable Object companion;

  CounterCell(Labels labels) {
    super(labels);
  }

  /** Adds one. */
  public void inc() {
    whole.increment();
  }

  /** Adds a non-negative whole amount; callers validate. */
  public void add(long amount) {
    whole.add(amount);
  }

  /** Adds a non-negative finite amount; callers validate. */
  public void add(double amount) {
    long asLong = (long) amount;
    if (asLong == amount) {
      whole.add(asLong);
    } else {
      fractional().add(amount);
    }
  }

  /** The sum of the whole increments only: exact, for counts that never take fractions. */
  public long wholeValue() {
    return whole.sum();
  }

  public double value() {
    DoubleAdder f = fractional;
    return f == null ? (double) whole.sum() : whole.sum() + f.sum();
  }

  private DoubleAdder fractional() {
    DoubleAdder f = fractional;
    if (f == null) {
      synchronized (this) {
        f = fractional;
        if (f == null) {
          f = new DoubleAdder();
          fractional = f;
        }
      }
    }
    return f;
  }
}
