package dev.vigil.alert.internal;

import dev.vigil.alert.Severity;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One message to people about an alert, as the channels format it: redacted, with the number of
 * occurrences it stands for. Immutable; shared by every channel it is routed to.
 */
public final class Notification {
  private final String key;
  private final String type;
  private final Severity severity;
  private final String alertname;
  private final String service;
  private final String environment;
  private final String message;
  private final @Nullable String errorType;
  private final Map<String, String> grouping;
  private final Map<String, @Nullable Object> context;
  private final Instant time;
  private final Instant firstSeen;
  private final Instant episodeStart;
  private final long occurrences;

  Notification(
      String key,
      String type,
      Severity severity,
      String alertname,
      String service,
      String environment,
      String message,
      @Nullable String errorType,
      Map<String, String> grouping,
      Map<String, @Nullable Object> context,
      Instant time,
      Instant firstSeen,
      Instant episodeStart,
      long occurrences) {
    this.key = key;
    this.type = type;
    this.severity = severity;
    this.alertname = alertname;
    this.service = service;
    this.environment = environment;
    this.message = message;
    this.errorType = errorType;
    this.grouping = grouping;
    this.context = context;
    this.time = time;
    this.firstSeen = firstSeen;
    this.episodeStart = episodeStart;
    this.occurrences = occurrences;
  }

  /** Type, severity and grouping fields: what makes two alerts the same alert. */
  public String key() {
    return key;
  }

  public String type() {
    return type;
  }

  public Severity severity() {
    return severity;
  }

  /** The Alertmanager {@code alertname}: {@code Vigil} and the type in CamelCase. */
  public String alertname() {
    return alertname;
  }

  public String service() {
    return service;
  }

  public String environment() {
    return environment;
  }

  /** The message, with the error's type and message appended when there is one; redacted. */
  public String message() {
    return message;
  }

  /** The error's simple class name, or null. */
  public @Nullable String errorType() {
    return errorType;
  }

  /** The grouping fields (Alertmanager labels); redacted. */
  public Map<String, String> grouping() {
    return grouping;
  }

  /** The redacted context, in insertion order. */
  public Map<String, @Nullable Object> context() {
    return context;
  }

  /** When the latest occurrence this notification stands for happened. */
  public Instant time() {
    return time;
  }

  /** When the earliest occurrence this notification stands for happened. */
  public Instant firstSeen() {
    return firstSeen;
  }

  /**
   * When this run of repeats began: the first occurrence after a quiet cool-down. Alertmanager's
   * {@code startsAt}.
   */
  public Instant episodeStart() {
    return episodeStart;
  }

  /** How many occurrences this notification stands for: 1, or the repeats merged into it. */
  public long occurrences() {
    return occurrences;
  }

  /**
   * For a summary of repeats, {@code Occurred 4 times since 2025-03-01 12:00:01 UTC}: the line the
   * plain-text channels add under the message; null for a single occurrence.
   */
  public @Nullable String repeatSummary() {
    return occurrences > 1
        ? "Occurred " + occurrences + " times since " + Text.readable(firstSeen)
        : null;
  }

  @Override
  public String toString() {
    return "Notification{" + key + " x" + occurrences + '}';
  }
}
