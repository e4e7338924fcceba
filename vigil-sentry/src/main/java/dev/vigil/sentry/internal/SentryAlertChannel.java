package dev.vigil.sentry.internal;

import dev.vigil.alert.AlertSettings;
import dev.vigil.alert.Severity;
import dev.vigil.spi.AlertChannel;
import dev.vigil.spi.Delivery;
import dev.vigil.spi.Notification;
import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.protocol.Message;
import io.sentry.protocol.SentryId;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The {@code sentry} alert channel: each notification becomes a Sentry message event, so alerts
 * show up as issues beside the errors. {@link dev.vigil.sentry.SentryReporter} adds it when it
 * sends errors to Sentry:
 *
 * <pre>{@code
 * monitoring.alertService().addChannel(new SentryAlertChannel(serverName));
 * }</pre>
 *
 * <p>The event has the level of the alert's severity (info, warning, error, and fatal for
 * critical), the notification's message (with "Occurred N times since ..." on a second line for a
 * summary of repeats), the tags {@code service}, {@code environment}, {@code alert_type}, {@code
 * severity}, {@code error_type} when there is an error, and the grouping fields; the redacted
 * context as the {@value SentryListener#CONTEXT} context, as {@code handleError}'s events carry it,
 * and the alert's key, counts and times as the {@value #ALERT} context. Its fingerprint is the
 * service and the alert key, so every notification of one alert lands in one Sentry issue whatever
 * its message says. The key is the one the notification carries, built from the redacted grouping
 * values: a grouping value shaped like {@code api_key=...} reaches neither the fingerprint nor the
 * context verbatim.
 *
 * <p>Sentry already receives every error passed to {@code handleError} and {@code
 * handleCriticalError} (see {@link SentryListener}), so this channel declares {@link
 * #receivesHandledErrors()}: the {@code critical_error} alert that {@code handleCriticalError}
 * raises is not routed here, and the problem appears in Sentry once, as the exception at level
 * fatal. A {@code critical_error} raised with {@code alerts().alertCriticalError(..)} is sent.
 *
 * <p>Delivery only queues the event in the SDK, whose own thread sends it; the notification is
 * already redacted, and a Sentry that Vigil initialised redacts it again in {@code beforeSend}. A
 * Sentry that is closed, or that discards the event (an application's {@code beforeSend} returning
 * null), fails the delivery for good: it is counted in {@code
 * vigil_alerts_failed_total{channel="sentry",reason="discarded"}}, not retried.
 */
public final class SentryAlertChannel implements AlertChannel {
  /** The Sentry context that holds the alert's key, counts and times. */
  public static final String ALERT = "alert";

  /** The {@code reason} of a delivery Sentry did not take. */
  static final String DISCARDED = "discarded";

  /** The logger name on the events, the one the log channel writes alerts to. */
  static final String LOGGER = "dev.vigil.alerts";

  /** Sentry drops tags whose key is longer than this. */
  private static final int MAX_TAG_KEY = 32;

  private static final CompletableFuture<Delivery> SENT =
      CompletableFuture.completedFuture(Delivery.sent());
  private static final CompletableFuture<Delivery> CLOSED =
      CompletableFuture.completedFuture(
          Delivery.failed(DISCARDED, "Sentry is closed or was never started"));
  private static final CompletableFuture<Delivery> DROPPED =
      CompletableFuture.completedFuture(
          Delivery.failed(DISCARDED, "Sentry discarded the event (a beforeSend hook or sampling)"));

  private final @Nullable String serverName;

  /**
   * @param serverName the server name on events, or null; set here, the SDK never looks the host
   *     name up on the delivery thread
   */
  public SentryAlertChannel(@Nullable String serverName) {
    this.serverName = serverName;
  }

  @Override
  public String name() {
    return AlertSettings.SENTRY;
  }

  @Override
  public boolean receivesHandledErrors() {
    return true;
  }

  @Override
  public CompletionStage<Delivery> deliver(Notification notification) {
    if (!Sentry.isEnabled()) {
      return CLOSED;
    }
    SentryId id = Sentry.captureEvent(event(notification));
    return SentryId.EMPTY_ID.equals(id) ? DROPPED : SENT;
  }

  /** The event for {@code n}. */
  SentryEvent event(Notification n) {
    SentryEvent event = new SentryEvent(Date.from(n.time()));
    event.setLevel(level(n.severity()));
    event.setLogger(LOGGER);
    Message message = new Message();
    message.setFormatted(message(n));
    event.setMessage(message);
    event.setFingerprints(List.of("vigil-alert", n.service(), n.key()));
    for (Map.Entry<String, String> field : n.grouping().entrySet()) {
      if (field.getKey().length() <= MAX_TAG_KEY) {
        event.setTag(field.getKey(), field.getValue());
      }
    }
    // After the grouping fields: a field cannot stand in for these.
    event.setTag("service", n.service());
    event.setTag("environment", n.environment());
    event.setTag("alert_type", n.type());
    event.setTag("severity", n.severity().label());
    String errorType = n.errorType();
    if (errorType != null) {
      event.setTag("error_type", errorType);
    }
    if (!n.context().isEmpty()) {
      event.getContexts().put(SentryListener.CONTEXT, n.context());
    }
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("type", n.type());
    alert.put("alertname", n.alertname());
    alert.put("key", n.key());
    alert.put("occurrences", n.occurrences());
    alert.put("first_seen", n.firstSeen().toString());
    alert.put("last_seen", n.time().toString());
    alert.put("episode_start", n.episodeStart().toString());
    if (!n.grouping().isEmpty()) {
      alert.put("grouping", n.grouping());
    }
    event.getContexts().put(ALERT, alert);
    if (serverName != null) {
      event.setServerName(serverName);
    }
    return event;
  }

  /** The message, and for a summary of repeats how many occurred since when. */
  static String message(Notification n) {
    String repeats = n.repeatSummary();
    return repeats == null ? n.message() : n.message() + "\n" + repeats;
  }

  static SentryLevel level(Severity severity) {
    switch (severity) {
      case CRITICAL:
        return SentryLevel.FATAL;
      case ERROR:
        return SentryLevel.ERROR;
      case WARNING:
        return SentryLevel.WARNING;
      default:
        return SentryLevel.INFO;
    }
  }
}
