package dev.vigil.alert.internal;

import java.util.concurrent.CompletionStage;

/**
 * Somewhere alerts go: the log, a webhook, Slack, Telegram, Alertmanager, or (from the {@code
 * vigil-sentry} module) Sentry. Vigil's delivery thread calls {@link #deliver} for one notification
 * at a time per channel, after the channel's {@link #rateLimit()} allows it, and retries what comes
 * back as {@link Delivery.Outcome#RETRY} with backoff.
 *
 * <p>A module adds its channel with {@code monitoring.alertService().addChannel(channel)}; the
 * channel then receives the alerts whose severity reaches {@code ALERT_<NAME>_MIN_SEVERITY}, and is
 * counted in the {@code vigil_alerts_*} self-metrics under its {@link #name()}.
 *
 * <pre>{@code
 * final class SentryChannel implements AlertChannel {
 *   public String name() { return "sentry"; }
 *   public CompletionStage<Delivery> deliver(Notification n) {
 *     Sentry.captureMessage(n.message(), level(n.severity()));   // queues, does not block
 *     return CompletableFuture.completedFuture(Delivery.sent());
 *   }
 * }
 * }</pre>
 *
 * <p>Implementations must not block (start I/O asynchronously and return its stage) and should not
 * throw; a throw counts as a retryable {@link Delivery#CHANNEL_ERROR}. The notification is already
 * redacted.
 *
 * <p>A channel that also receives {@code handleError}'s errors by another road (Sentry, through
 * {@code vigil-sentry}'s error listener) says so with {@link #receivesHandledErrors()}, so that a
 * critical error does not reach it twice.
 */
public interface AlertChannel {

  /** The {@code channel} label value, such as {@code "telegram"}: lower-case, fixed. */
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
