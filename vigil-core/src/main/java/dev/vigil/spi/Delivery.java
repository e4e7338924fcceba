package dev.vigil.spi;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What became of one delivery attempt of an {@link AlertChannel}: {@linkplain #sent() sent},
 * {@linkplain #retry worth retrying} (perhaps after a delay the server asked for), or {@linkplain
 * #failed failed for good}. The reason is the {@code reason} label of {@code
 * vigil_alerts_retried_total} and {@code vigil_alerts_failed_total}.
 *
 * <p>HTTP channels rarely build one by hand: {@link #forHttpStatus} and {@link #forFailure} apply
 * the rules every Vigil channel follows.
 *
 * <pre>{@code
 * return client.sendAsync(request, BodyHandlers.discarding())
 *     .handle((response, failure) -> failure != null
 *         ? Delivery.forFailure(failure)
 *         : Delivery.forHttpStatus(response.statusCode(),
 *             Delivery.retryAfterNanos(response.headers().firstValue("Retry-After").orElse(null),
 *                 clock),
 *             "HTTP " + response.statusCode()));
 * }</pre>
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
    /** Delivered; counted in {@code vigil_alerts_sent_total}. */
    SENT,
    /** Not delivered this time; tried again with backoff, up to {@code ALERT_MAX_ATTEMPTS}. */
    RETRY,
    /**
     * Not delivered, and trying again cannot help; counted in {@code vigil_alerts_failed_total}.
     */
    FAILED
  }

  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,9}");
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

  /** The notification was delivered. */
  public static Delivery sent() {
    return SENT;
  }

  /**
   * The attempt failed in a way another attempt may not.
   *
   * @param reason one of the constants of this class, or a lower-case reason of the channel's own
   * @param retryAfterNanos how long the server asked to wait, or -1 if it did not say
   * @param detail what happened, for the log; must hold no secret
   */
  public static Delivery retry(String reason, long retryAfterNanos, @Nullable String detail) {
    Objects.requireNonNull(reason, "reason must not be null");
    return new Delivery(Outcome.RETRY, reason, Math.max(-1, retryAfterNanos), detail);
  }

  /**
   * The attempt failed and no retry can fix it (the request itself is wrong).
   *
   * @param detail what happened, for the log; must hold no secret
   */
  public static Delivery failed(String reason, @Nullable String detail) {
    Objects.requireNonNull(reason, "reason must not be null");
    return new Delivery(Outcome.FAILED, reason, -1, detail);
  }

  /**
   * The outcome of an HTTP answer, as every Vigil channel reads it: 2xx is sent; 429 ({@link
   * #RATE_LIMITED}), 408 ({@link #TIMEOUT}) and 5xx ({@link #SERVER_ERROR}) are retried after
   * {@code retryAfterNanos} when the server gave one; any other status fails for good ({@link
   * #CLIENT_ERROR}), since sending the same request again cannot fix it.
   *
   * @param retryAfterNanos the delay the server asked for, or -1; see {@link #retryAfterNanos}
   * @param detail what happened, for the log; must hold no secret
   */
  public static Delivery forHttpStatus(int status, long retryAfterNanos, @Nullable String detail) {
    if (status >= 200 && status < 300) {
      return SENT;
    }
    if (status == 429) {
      return retry(RATE_LIMITED, retryAfterNanos, detail);
    }
    if (status == 408) {
      return retry(TIMEOUT, retryAfterNanos, detail);
    }
    if (status >= 500) {
      return retry(SERVER_ERROR, retryAfterNanos, detail);
    }
    return failed(CLIENT_ERROR, detail);
  }

  /**
   * The outcome of an attempt that ended in an exception: a refused or timed-out connection ({@link
   * #CONNECT_ERROR}), no answer in time ({@link #TIMEOUT}), another I/O failure ({@link #IO_ERROR})
   * or anything else ({@link #CHANNEL_ERROR}); all retried. Wrappers such as {@link
   * CompletionException} are looked through. The detail is the exception's class name and message,
   * which may hold a URL: scrub it, or pass your own detail to {@link #retry}.
   */
  public static Delivery forFailure(Throwable failure) {
    Throwable cause = Objects.requireNonNull(failure, "failure must not be null");
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    String detail = cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
      return retry(CONNECT_ERROR, -1, detail);
    }
    if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      return retry(TIMEOUT, -1, detail);
    }
    if (cause instanceof IOException) {
      return retry(IO_ERROR, -1, detail);
    }
    return retry(CHANNEL_ERROR, -1, detail);
  }

  /**
   * An HTTP {@code Retry-After} value, as delay-seconds or an HTTP date (RFC 9110), in nanoseconds
   * from {@code clock}'s now; -1 if the value is null or neither form.
   */
  public static long retryAfterNanos(@Nullable String value, Clock clock) {
    if (value == null) {
      return -1;
    }
    String v = value.strip();
    if (SECONDS.matcher(v).matches()) {
      return TimeUnit.SECONDS.toNanos(Long.parseLong(v));
    }
    try {
      ZonedDateTime date = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      return Math.max(0, Duration.between(clock.instant(), date.toInstant()).toNanos());
    } catch (DateTimeParseException | ArithmeticException e) {
      return -1;
    }
  }

  /** Sent, retry or failed. */
  public Outcome outcome() {
    return outcome;
  }

  /** The {@code reason} label: {@code sent}, or one of the constants of this class. */
  public String reason() {
    return reason;
  }

  /** The delay the server asked for before the next attempt, in nanoseconds, or -1. */
  public long retryAfterNanos() {
    return retryAfterNanos;
  }

  /** What happened, for Vigil's log line about the attempt; null if nothing more to say. */
  public @Nullable String detail() {
    return detail;
  }

  @Override
  public String toString() {
    return outcome + "(" + reason + (detail == null ? "" : ": " + detail) + ")";
  }
}
