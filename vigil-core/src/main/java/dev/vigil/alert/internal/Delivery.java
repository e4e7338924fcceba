package dev.vigil.alert.internal;

import org.jspecify.annotations.Nullable;

/**
 * What became of one delivery attempt: sent, worth retrying (perhaps after a delay the server asked
 * for), or failed for good. The reason is the {@code reason} label of {@code
 * vigil_alerts_retried_total} and {@code vigil_alerts_failed_total}.
 */
public final class Delivery {
  /** HTTP 429, or a Telegram {@code retry_after}. */
  public static final String RATE_LIMITED = "rate_limited";

  /** HTTP 5xx. */
  public static final String SERVER_ERROR = "server_error";

  /** HTTP 4xx other than 408 and 429: the request itself is wrong; not retried. */
  public static final String CLIENT_ERROR = "client_error";

  /** No answer within the attempt's time limit (or HTTP 408). */
  public static final String TIMEOUT = "timeout";

  /** Nothing listening, or the host could not be reached. */
  public static final String CONNECT_ERROR = "connect_error";

  /** Any other I/O failure. */
  public static final String IO_ERROR = "io_error";

  /** The channel's own code failed. */
  public static final String CHANNEL_ERROR = "channel_error";

  /** The outcome of an attempt. */
  public enum Outcome {
    SENT,
    RETRY,
    FAILED
  }

  private static final Delivery SENT = new Delivery(Outcome.SENT, "sent", -1, null);

  private final Outcome outcome;
  private final String reason;
  private final long retryAfterNanos;
  private final @Nullable String detail;

  private Delivery(Outcome outcome, String reason, long retryAfterNanos, @Nullable String detail) {
    this.outcome = outcome;
    this.reason = reason;
    this.retryAfterNanos = retryAfterNanos;
    this.detail = detail;
  }

  public static Delivery sent() {
    return SENT;
  }

  /**
   * @param retryAfterNanos how long the server asked to wait, or -1 if it did not say
   * @param detail what happened, for the log (no secrets)
   */
  public static Delivery retry(String reason, long retryAfterNanos, @Nullable String detail) {
    return new Delivery(Outcome.RETRY, reason, retryAfterNanos, detail);
  }

  public static Delivery failed(String reason, @Nullable String detail) {
    return new Delivery(Outcome.FAILED, reason, -1, detail);
  }

  public Outcome outcome() {
    return outcome;
  }

  public String reason() {
    return reason;
  }

  /** The delay the server asked for, or -1. */
  public long retryAfterNanos() {
    return retryAfterNanos;
  }

  public @Nullable String detail() {
    return detail;
  }

  @Override
  public String toString() {
    return outcome + "(" + reason + (detail == null ? "" : ": " + detail) + ")";
  }
}
