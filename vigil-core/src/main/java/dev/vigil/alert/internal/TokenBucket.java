package dev.vigil.alert.internal;

/**
 * A token bucket on the delivery thread's clock (not thread-safe: only the delivery thread uses
 * it). Tokens are counted in nanoseconds of refill time, so the arithmetic stays in whole numbers.
 */
final class TokenBucket {
  private final long nanosPerToken;
  private final long capacityNanos;
  private long filledNanos;
  private long last;

  TokenBucket(int permits, long periodNanos, int burst, long now) {
    this.nanosPerToken = Math.max(1, periodNanos / permits);
    this.capacityNanos = nanosPerToken * burst;
    this.filledNanos = capacityNanos;
    this.last = now;
  }

  /** How long until a token is available: 0 if one is now. */
  long waitNanos(long now) {
    refill(now);
    return filledNanos >= nanosPerToken ? 0 : nanosPerToken - filledNanos;
  }

  /** Takes a token; call only when {@link #waitNanos} said 0. */
  void take(long now) {
    refill(now);
    filledNanos -= nanosPerToken;
  }

  private void refill(long now) {
    long elapsed = now - last;
    if (elapsed > 0) {
      filledNanos =
          elapsed >= capacityNanos ? capacityNanos : Math.min(capacityNanos, filledNanos + elapsed);
      last = now;
    }
  }
}
