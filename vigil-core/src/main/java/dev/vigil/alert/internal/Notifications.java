package dev.vigil.alert.internal;

import dev.vigil.Kpi;
import dev.vigil.Redactor;
import dev.vigil.alert.Alert;
import dev.vigil.internal.Throwables;
import dev.vigil.spi.Notification;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a raised alert into the notification channels receive, on the delivery thread: the error
 * folded into the message, everything redacted and scrubbed of the configured secrets, the key
 * built from the redacted grouping, the message cut to {@value #MAX_MESSAGE_LENGTH} characters.
 */
final class Notifications {
  static final int MAX_MESSAGE_LENGTH = 4000;

  private final String service;
  private final String environment;
  private final Redactor redactor;
  private final Secrets secrets;

  Notifications(String service, String environment, Redactor redactor, Secrets secrets) {
    this.service = service;
    this.environment = environment;
    this.redactor = redactor;
    this.secrets = secrets;
  }

  Notification prepare(Raised raised) {
    Alert alert = raised.alert;
    Throwable error = alert.error();
    String errorType = error == null ? null : Kpi.errorType(error);
    String message = alert.message();
    if (error != null) {
      String detail = safeMessage(error);
      message =
          message + ": " + errorType + (detail == null || detail.isBlank() ? "" : ": " + detail);
    }
    message = secrets.scrub(message);
    Map<String, @Nullable Object> context = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : redactor.redact(alert.context()).entrySet()) {
      context.put(e.getKey(), secrets.scrubValue(e.getValue()));
    }
    if (errorType != null) {
      context.putIfAbsent("error_type", errorType);
    }
    Map<String, String> grouping = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : alert.grouping().entrySet()) {
      grouping.put(e.getKey(), secrets.scrub(e.getValue()));
    }
    return Notification.builder(
            alert.type(), alert.severity(), Text.truncate(message, MAX_MESSAGE_LENGTH))
        // The key channels see is built from the redacted grouping values: a value shaped like
        // api_key=... is a secret in a key too (Sentry makes the key its fingerprint).
        .key(Notification.keyOf(alert.type(), alert.severity(), grouping))
        .service(service)
        .environment(environment)
        .errorType(errorType)
        .grouping(grouping)
        .context(context)
        .time(raised.time)
        .firstSeen(raised.firstSeen)
        .episodeStart(raised.episodeStart)
        .occurrences(raised.occurrences)
        .build();
  }

  private static @Nullable String safeMessage(Throwable error) {
    try {
      String message = error.getMessage();
      // Cut before redaction and scrubbing, which scan the whole text.
      return message == null || message.length() <= MAX_MESSAGE_LENGTH
          ? message
          : message.substring(0, MAX_MESSAGE_LENGTH);
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      return "[message unavailable: " + e.getClass().getName() + "]";
    }
  }
}
