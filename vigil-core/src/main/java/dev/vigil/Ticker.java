package dev.vigil;

/**
 * A source of monotonic nanoseconds, for durations, rate limits and time windows. Production code
 * uses {@link #system()}; tests inject a ticker they advance by hand, so nothing waits on the wall
 * clock.
 *
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * Monitoring monitoring = Monitoring.builder("worker").ticker(now::get).build();
 * now.addAndGet(TimeUnit.SECONDS.toNanos(2)); // two seconds pass, instantly
 * }</pre>
 */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
  long read();

  /** The ticker backed by {@link System#nanoTime()}. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
