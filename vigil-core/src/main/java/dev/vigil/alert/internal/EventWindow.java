package dev.vigil.alert.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Whether {@code threshold} events happened within a sliding window: a ring of the last {@code
 * threshold} event times, so the check is exact, constant-time and allocation-free (it runs on the
 * caller's thread, inside {@code trackKpi} and {@code handleError}). The threshold is reached when
 * the oldest of the last {@code threshold} events is inside the window.
 *
 * <p>Concurrent writers can make the check see a slot a moment after another thread overwrote it,
 * which can only make it fire one event early under a race, never miss a burst.
 */
public final class EventWindow {
  private final int threshold;
  private final long windowNanos;
  private final AtomicLongArray times;
  private final AtomicLong count = new AtomicLong();

  public EventWindow(int threshold, long windowNanos) {
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be at least 1, got " + threshold);
    }
    this.threshold = threshold;
    this.windowNanos = windowNanos;
    this.times = new AtomicLongArray(threshold);
  }

  /** Records an event at ticker time {@code now}; returns whether the threshold is reached. */
  public boolean record(long now) {
    long i = count.getAndIncrement();
    times.set((int) (i % threshold), now);
    if (i + 1 < threshold) {
      return false;
    }
    long oldest = times.get((int) ((i + 1) % threshold));
    return now - oldest <= windowNanos;
  }

  public int threshold() {
    return threshold;
  }
}
