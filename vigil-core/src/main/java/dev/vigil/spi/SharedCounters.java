package dev.vigil.spi;

import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Counts events over a sliding window across every replica of a service, for the thresholds of the
 * automatic alerts (payment failures, error rate): "3 payment failures in 5 minutes" then holds for
 * the service, not for each replica alone. Register one with {@link
 * ExtensionContext#shareAlertThresholds}; {@code vigil-redis} is one.
 *
 * <pre>{@code
 * context.shareAlertThresholds((name, window, totals) -> {
 *   LongAdder pending = store.counter(name, window, totals);  // flushed and read in the background
 *   return pending::increment;
 * });
 * }</pre>
 */
@FunctionalInterface
public interface SharedCounters {
  /** What a total is when the store could not be read: Vigil then uses its local count. */
  long UNAVAILABLE = -1;

  /**
   * A counter called {@code name} (such as {@code payment_failures}) over the sliding {@code
   * window}. Each time the store is read, {@code totals} is told, on the store's thread, how many
   * events all replicas counted in the window (this one's included), or {@link #UNAVAILABLE}.
   */
  SharedCounter counter(String name, Duration window, LongConsumer totals);

  /** One counter of {@link SharedCounters}. */
  @FunctionalInterface
  interface SharedCounter {
    /** One more event here. On the caller's thread: must not block, allocate or throw. */
    void increment();
  }
}
