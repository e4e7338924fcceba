package dev.vigil.alert.internal;

import java.time.Duration;

/**
 * How fast a channel may send: {@code permits} per {@code period}, with bursts of up to {@code
 * burst}. Telegram allows about 20 messages a minute into one group; Slack about one a second per
 * webhook.
 */
public final class RateLimit {
  public static final RateLimit UNLIMITED = new RateLimit(0, Duration.ZERO, 0);

  private final int permits;
  private final Duration period;
  private final int burst;

  private RateLimit(int permits, Duration period, int burst) {
    this.permits = permits;
    this.period = period;
    this.burst = burst;
  }

  public static RateLimit of(int permits, Duration period, int burst) {
    if (permits < 1 || burst < 1 || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException(
          "a rate limit needs at least one permit per positive period and a burst of at least 1");
    }
    return new RateLimit(permits, period, burst);
  }

  public boolean unlimited() {
    return permits == 0;
  }

  /** The bucket for one channel, starting full. */
  TokenBucket newBucket(long nowNanos) {
    return new TokenBucket(permits, period.toNanos(), burst, nowNanos);
  }

  @Override
  public String toString() {
    return unlimited() ? "unlimited" : permits + " per " + period + " (burst " + burst + ")";
  }
}
