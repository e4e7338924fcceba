package dev.vigil.spi;

import java.util.concurrent.CompletionStage;

/**
 * Somewhere alerts go: the log, a webhook, Slack, Telegram, Alertmanager, Sentry (from {@code
 * vigil-sentry}), or a channel of your own. Vigil's delivery thread calls {@link #deliver} for one
 * notification at a time per channel, once the channel's {@link #rateLimit()} allows it, retries
 * what comes back as {@link Delivery.Outcome#RETRY} with backoff (honouring {@link
 * Delivery#retryAfterNanos()}), and counts every outcome in the {@code vigil_alerts_*} self-metrics
 * under the channel's {@link #name()}.
 *
 * <p>Register a channel with {@code Monitoring.Builder.alertChannel(..)}, or from an {@link
 * Extension} with {@link ExtensionContext#addAlertChannel}; it receives the alerts whose severity
 * reaches {@code ALERT_<NAME>_MIN_SEVERITY} (or {@code alertRouting(name, severity)}), {@code info}
 * and above by default.
 *
 * <pre>{@code
 * final class PagerChannel implements AlertChannel {
 *   private final HttpClient client = HttpClient.newHttpClient();
 *
 *   public String name() { return "pager"; }
 *
 *   public CompletionStage<Delivery> deliver(Notification n) {
 *     HttpRequest request = HttpRequest.newBuilder(URI.create("https://pager.example/v1/page"))
 *         .timeout(Duration.ofSeconds(10))
 *         .POST(HttpRequest.BodyPublishers.ofString(n.severity().label() + " " + n.message()))
 *         .build();
 *     return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
 *         .handle((response, failure) -> failure != null
 *             ? Delivery.forFailure(failure)
 *             : Delivery.forHttpStatus(response.statusCode(),
 *                 Delivery.retryAfterNanos(
 *                     response.headers().firstValue("Retry-After").orElse(null), Clock.systemUTC()),
 *                 "HTTP " + response.statusCode()));
 *   }
 * }
 *
 * Monitoring monitoring = Monitoring.builder("api").alertChannel(new PagerChannel()).build();
 * }</pre>
 *
 * <p>Implementations must not block: start I/O asynchronously and return its stage. They should not
 * throw; a throw (even an {@link Error}) counts as a retryable {@link Delivery#CHANNEL_ERROR} and
 * the next notification is still delivered. A stage without a result after {@code ALERT_TIMEOUT} is
 * abandoned (and cancelled), counted as a {@link Delivery#TIMEOUT} and retried; its result, should
 * it come later, is ignored. The notification is already redacted. {@code vigil-testkit}'s {@code
 * AlertChannelContract} checks a channel against all of this; the README's "Extending Vigil" shows
 * how to run it against yours.
 *
 * <p>A channel that also receives {@code handleError}'s errors by another road (Sentry, through
 * {@code vigil-sentry}'s error listener) says so with {@link #receivesHandledErrors()}, so that a
 * critical error does not reach it twice.
 */
public interface AlertChannel {

  /**
   * The {@code channel} label value, such as {@code "telegram"}: lower-case letters, digits and
   * underscores, starting with a letter, at most 32 characters; fixed for the channel's life.
   */
  String name();

  /** How fast this channel may send; unlimited by default. */
  default RateLimit rateLimit() {
    return RateLimit.UNLIMITED;
  }

  /**
   * Whether this channel also receives every error passed to {@code handleError} and {@code
   * handleCriticalError}, as Sentry does. If so, it is not routed the {@code critical_error} alert
   * that {@code handleCriticalError} raises (the error itself already reached it), nor counted for
   * it in the self-metrics; a {@code critical_error} raised with {@code
   * alerts().alertCriticalError(..)} still reaches it. A summary of repeats is withheld only when
   * every occurrence it stands for came from {@code handleCriticalError}. Default false.
   */
  default boolean receivesHandledErrors() {
    return false;
  }

  /** Starts delivering one notification; completes with what became of the attempt. */
  CompletionStage<Delivery> deliver(Notification notification);
}
