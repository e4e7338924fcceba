package dev.vigil.internal;

import io.prometheus.metrics.model.snapshots.Labels;
import java.math.BigDecimal;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter series of money, kept as a whole number of fixed-point units (nano-dollars for AI cost,
 * ten-thousandths of a currency unit for revenue). Sums are exact and independent of the order of
 * concurrent adds, which a {@link java.util.concurrent.atomic.DoubleAdder} cannot promise: 19.99
 * added three times reads 59.97, not 59.970000000000006. The total saturates instead of wrapping.
 */
public class DecimalCounterCell extends Cell {
  private final LongAdder units = new LongAdder();
  private final int scale;

  DecimalCounterCell(Labels labels, int scale) {
    super(labels);
    this.scale = scale;
  }

  /**
   * Adds a non-negative number of units; callers validate. Like {@link CounterCell}, the total
   * saturates at {@link CounterCell#SATURATION} units instead of wrapping.
   *
   * @return false if the amount would take the total past the limit, and was not added
   */
  public boolean addUnits(long amount) {
    if (amount <= CounterCell.FAST_ADD) {
      units.add(amount);
      return true;
    }
    return addLarge(amount);
  }

  private synchronized boolean addLarge(long amount) {
    if (units.sum() > CounterCell.SATURATION - amount) {
      return false;
    }
    units.add(amount);
    return true;
  }

  public long units() {
    long sum = units.sum();
    return sum < 0 || sum > CounterCell.SATURATION ? CounterCell.SATURATION : sum;
  }

  /** The exact total. */
  public BigDecimal decimalValue() {
    return BigDecimal.valueOf(units(), scale);
  }

  /** The total as Prometheus carries it: the double nearest to the exact decimal. */
  public double value() {
    return decimalValue().doubleValue();
  }

  /** Whether the series appears in the exposition; a cost series without a price does not. */
  boolean exposed() {
    return true;
  }
}
