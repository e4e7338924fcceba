package dev.vigil.alert.internal;

import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the n-th retry waits a random time between half and all of
 * {@code firstDelay * 2^(n-1)}, capped at {@code maxDelay}. The jitter spreads the retries of many
 * processes that failed together (a receiver restarting) instead of sending them in waves.
 */
final class RetryPolicy {
  private final int maxAttempts;
  private final long firstDelayNanos;
  private final long maxDelayNanos;
  private final DoubleSupplier random;

  RetryPolicy(int maxAttempts, long firstDelayNanos, long maxDelayNanos, DoubleSupplier random) {
    this.maxAttempts = maxAttempts;
    this.firstDelayNanos = firstDelayNanos;
    this.maxDelayNanos = maxDelayNanos;
    this.random = random;
  }

  int maxAttempts() {
    return maxAttempts;
  }

  long maxDelayNanos() {
    return maxDelayNanos;
  }

  /** The wait after the {@code attempts}-th failed attempt (1 for the first). */
  long backoffNanos(int attempts) {
    int doublings = Math.min(Math.max(0, attempts - 1), 40);
    double full = Math.min((double) maxDelayNanos, firstDelayNanos * Math.pow(2, doublings));
    double r = random.getAsDouble();
    double factor = 0.5 + 0.5 * Math.min(1.0, Math.max(0.0, r));
    return Math.max(1, (long) (full * factor));
  }
}
