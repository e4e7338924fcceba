package dev.vigil.internal;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A monotonically increasing counter series. Whole increments (events, tokens) go to a {@link
 * LongAdder}, which is exact and faster than a {@link DoubleAdder}; fractional increments (money,
 * seconds) go to a lazily created {@link DoubleAdder}, so most series never pay for one.
 *
 * <p>The whole count saturates at {@link #SATURATION} (2^62) instead of wrapping to a negative
 * number, which client_java refuses to expose (every scrape would fail). Increments up to {@link
 * #FAST_ADD} go straight to the adder; larger ones are checked against the limit first, under the
 * cell's lock, and refused when they would pass it. Between the limit and the point where a long
 * wraps lie 2^62 more small increments, which no process makes: reads clamp at the limit.
 */
public final class CounterCell extends Cell {
  /** The largest whole count a series reaches; it stays there. */
  public static final long SATURATION = 1L << 62;

  /** Increments up to this size are added without checking the limit. */
  static final long FAST_ADD = 1L << 24;

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

  /**
   * Adds a non-negative whole amount; callers validate.
   *
   * @return false if the series is saturated: the amount would take it past {@link #SATURATION},
   *     and was not added
   */
  public boolean add(long amount) {
    if (amount <= FAST_ADD) {
      whole.add(amount);
      return true;
    }
    return addLarge(amount);
  }

  private synchronized boolean addLarge(long amount) {
    if (whole.sum() > SATURATION - amount) {
      return false;
    }
    whole.add(amount);
    return true;
  }

  /**
   * Adds a non-negative finite amount of at most 2^53; callers validate.
   *
   * @return false if the series is saturated and the amount was not added
   */
  public boolean add(double amount) {
    long asLong = (long) amount;
    if (asLong == amount) {
      return add(asLong);
    }
    fractional().add(amount);
    return true;
  }

  /** The sum of the whole increments only: exact, for counts that never take fractions. */
  public long wholeValue() {
    long sum = whole.sum();
    return sum < 0 || sum > SATURATION ? SATURATION : sum;
  }

  public double value() {
    DoubleAdder f = fractional;
    return f == null ? (double) wholeValue() : wholeValue() + f.sum();
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
