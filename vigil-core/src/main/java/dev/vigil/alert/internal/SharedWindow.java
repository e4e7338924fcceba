package dev.vigil.alert.internal;

import dev.vigil.spi.SharedCounters;
import java.time.Duration;

/**
 * An automatic alert's threshold counted over every replica through a shared store, beside the
 * local {@link EventWindow} it falls back to. The store reads the total in the background and
 * reports it here; the alert is raised there, on the store's thread, whenever a read finds the
 * threshold reached and more events than the read before.
 */
final class SharedWindow {
  private final int threshold;
  private final SharedCounters.SharedCounter counter;
  private volatile boolean available;
  private long lastTotal; // the store's thread only

  SharedWindow(
      SharedCounters counters,
      String name,
      Duration window,
      int threshold,
      java.util.function.LongConsumer reached) {
    this.threshold = threshold;
    this.counter =
        counters.counter(
            name,
            window,
            total -> {
              if (reportTotal(total)) {
                reached.accept(total);
              }
            });
  }

  /** On the caller's thread: one more event. */
  void increment() {
    counter.increment();
  }

  /** Whether the last read of the store succeeded: then the shared total decides, not the local. */
  boolean available() {
    return available;
  }

  /** On the store's thread: whether this total raises the alert. */
  boolean reportTotal(long total) {
    if (total < 0) {
      available = false;
      return false;
    }
    available = true;
    boolean reached = total >= threshold && total > lastTotal;
    lastTotal = total;
    return reached;
  }
}
