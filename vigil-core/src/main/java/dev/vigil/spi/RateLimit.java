package dev.vigil.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast an {@link AlertChannel} may send: {@code permits} per {@code period}, with bursts of up
 * to {@code burst}. Telegram allows about 20 messages a minute into one group; Slack about one a
 * second per webhook. Notifications wait (in the channel's bounded backlog) rather than being sent
 * faster.
 *
 * <pre>{@code
 * public RateLimit rateLimit() {
 *   return RateLimit.of(20, Duration.ofMinutes(1), 3);   // 20 a minute, at most 3 at once
 * }
 * }</pre>
 */
public final class RateLimit {
  /** No limit: the default of {@link AlertChannel#rateLimit()}. */
  public static final RateLimit UNLIMITED = new RateLimit(0, Duration.ZERO, 0);

  private final int permits;
  private final Duration period;
  private final int burst;

  private RateLimit(int permits, Duration period, int burst) {
    this.permits = permits;
    this.period = period;
    this.burst = burst;
  }

  /**
   * @throws IllegalArgumentException unless there is at least one permit per positive period and a
   *     burst of at least 1
   */
  public static RateLimit of(int permits, Duration period, int burst) {
    Objects.requireNonNull(period, "period must not be null");
    if (permits < 1 || burst < 1 || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException(
          "a rate limit needs at least one permit per positive period and a burst of at least 1,"
              + " got "
              + permits
              + " per "
              + period
              + " (burst "
              + burst
              + ")");
    }
    return new RateLimit(permits, period, burst);
  }

  /** Whether this is {@link #UNLIMITED}. */
  public boolean unlimited() {
    return permits == 0;
  }

  /** Sends allowed per {@link #period()}; 0 when unlimited. */
  public int permits() {
    return permits;
  }

  /** The period the permits refill over; zero when unlimited. */
  public Duration period() {
    return period;
  }

  /** The most sends allowed at once after a quiet spell; 0 when unlimited. */
  public int burst() {
    return burst;
  }

  @Override
  public String toString() {
    return unlimited() ? "unlimited" : permits + " per " + period + " (burst " + burst + ")";
  }
}
